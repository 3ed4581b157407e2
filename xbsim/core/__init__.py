"""The foundations every layer above stands on: the configuration (schema, validation, composition), the
programme's domain (territories, areas with value chains, dimensions, actor types), the population of actors
(synthetic or from a survey file), the named random streams and the one-line errors.

Nothing here imports the programme's mechanisms, the model, the outputs or the study layer (the layers contract
in ``pyproject.toml``, checked by ``lint-imports``).
"""
