#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter, or explain what is missing and exit 1.
# Order: $PYTHON, python3.13, python3.12, python3 (if new enough), then pyenv's installed versions.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for cand in "${PYTHON:-}" python3.14 python3.13 python3.12 python3; do
  [ -n "$cand" ] || continue
  path=$(command -v "$cand" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
root=${PYENV_ROOT:-$HOME/.pyenv}
for path in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 "$root"/versions/3.[2-9][0-9]*/bin/python3 2>/dev/null | sort -rV); do
  if ok "$path"; then echo "$path"; exit 0; fi
done
for path in /usr/local/bin/python3.1[2-9] /opt/python*/bin/python3; do
  [ -x "$path" ] && ok "$path" && { echo "$path"; exit 0; }
done
echo "xbsim needs Python >= 3.12 (Mesa 3.5 requires it), and none was found: tried \$PYTHON, python3.14," \
     "python3.13, python3.12, python3 ($(python3 --version 2>&1 || echo absent)) and pyenv versions under $root." \
     "Install Python 3.12 or newer (e.g. 'pyenv install 3.12' or your OS package), or set PYTHON=/path/to/python3.12." >&2
exit 1
