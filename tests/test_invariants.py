"""Invariants of finished runs: partnerships, meetings, schedules, memberships, counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from xbsim.model import XBSimModel
from xbsim.outputs.tables import companies_table, meetings_table
from xbsim.programme.critical_mass import CRITERIA


def test_no_self_partnership_and_no_duplicate_active_pair(small_models: list[XBSimModel]) -> None:
    for m in small_models:
        ps = m.state.partnerships
        assert len(ps) > 0
        assert np.all(ps.i != ps.j)
        assert np.all(ps.i < ps.j)
        keys = ps.keys(active_only=True)
        assert keys.size == np.unique(keys).size
        country = np.array(m.domain.territories.countries)[m.population.territory]
        terr = m.population.territory
        assert np.all(ps.cross_border == (country[ps.i] != country[ps.j]))  # a national border between them
        assert np.all(ps.interregional == ((country[ps.i] == country[ps.j]) & (terr[ps.i] != terr[ps.j])))
        assert np.all((ps.dissolved < 0) | (ps.dissolved > ps.formed))
        assert np.all(ps.formed >= ps.origin_month)


def test_partner_cap_respected(small_models: list[XBSimModel]) -> None:
    for m in small_models:
        degree = m.state.partnerships.degree()
        assert (degree <= m.capacity).all()  # each actor type's max_partners
        company = m.population.is_company
        assert degree[company].max() <= m.cfg.partnerships.max_partners
        inter = m.population.kind == m.domain.actor_types.names.index("intermediary")
        assert degree[inter].sum() == 0  # intermediaries broker, they do not partner


def test_b2b_schedule_no_double_booking_and_caps(small_models: list[XBSimModel]) -> None:
    for m in small_models:
        meet = m.events["meetings"].frame()
        b2b = meet[(meet.kind == "b2b") & (meet.slot >= 0)]
        assert len(b2b) > 0
        long = pd.concat([b2b[["event", "slot", "company_i"]].rename(columns={"company_i": "c"}),
                          b2b[["event", "slot", "company_j"]].rename(columns={"company_j": "c"})])
        assert not long.duplicated(["event", "slot", "c"]).any(), "a company is in two meetings in one slot"
        per_company = long.groupby(["event", "c"]).size()
        assert per_company.max() <= m.cfg.b2b.max_meetings_per_participant
        assert b2b.slot.max() < m.cfg.b2b.slots
        assert (b2b.company_i != b2b.company_j).all()
        # Cross-border scope (the default): every B2B meeting joins two countries.
        assert b2b.cross_border.all() and not b2b.interregional.any()
        # Meetings only between participants known to the programme.
        assert m.state.known[b2b.company_i].all() and m.state.known[b2b.company_j].all()


def test_members_belong_to_their_pole_areas_and_counts_add_up(small_models: list[XBSimModel]) -> None:
    for m in small_models:
        pop, st = m.population, m.state
        for pole in m.poles:
            members = np.flatnonzero(st.member[:, pole.index])
            assert np.isin(pop.area[members], pole.areas).all()
            assert st.known[members].all() and st.engaged[members].all()
            assert (st.join_month[members, pole.index] >= m.cfg.feasibility.month).all()
            assert (st.join_month[~st.member[:, pole.index], pole.index] == -1).all()
            if not pole.assessments or pole.assessments[0].verdict == "no-go":
                assert members.size == 0  # a pole never in formation has no members
            ts = m.datacollector.get_model_vars_dataframe()
            per_terr = ts[[f"{pole.name}.members.{c}" for c in m.domain.territories.codes]].sum(axis=1)
            assert (per_terr == ts[f"{pole.name}.members"]).all()
            assert ts[f"{pole.name}.members"].is_monotonic_increasing
            if pole.constituted:
                row = ts[ts.month == pole.constitution_month].iloc[0]
                assert all(row[f"{pole.name}.{c}.met"] for c in CRITERIA)
                before = ts[ts.month < pole.constitution_month]
                met_all = np.logical_and.reduce([before[f"{pole.name}.{c}.met"].astype(bool) for c in CRITERIA])
                assert not (met_all & (before.month >= m.cfg.feasibility.month)).any()


def test_companies_table_consistent_with_summary(default_model: XBSimModel) -> None:
    from xbsim.outputs.summary import build_summary

    df = companies_table(default_model)
    s = build_summary(default_model)
    assert len(df) == s["funnel"]["actors"] == default_model.population.n
    assert df.company_id.is_unique
    for name, pole in s["poles"].items():
        assert df[f"member_{name}"].sum() == pole["members"]
        assert sum(pole["members_by_territory"].values()) == pole["members"]
        by_terr = df[df[f"member_{name}"]].groupby("territory").size()
        for code, n in pole["members_by_territory"].items():
            assert by_terr.get(code, 0) == n
    f = s["funnel"]
    assert f["actors"] >= f["contacted"] >= f["known"] >= f["engaged"] >= f["met"] > 0
    assert df.known.sum() == f["known"]
    assert (df.country == df.territory.map({"FR61": "FR", "ES21": "ES", "ES22": "ES"})).all()
    assert set(df.actor_type) == {"company", "research", "intermediary"}
    assert s["b2b"]["booked"] >= s["b2b"]["held"] >= s["b2b"]["follow_ups"]
    meetings = meetings_table(default_model)
    assert (meetings[meetings.kind == "b2b"].status == "held").sum() == s["b2b"]["held"]
