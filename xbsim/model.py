"""The Mesa model of a cross-border pole-formation programme. One step = one month.

The programme calendar (:mod:`xbsim.calendar`) becomes Mesa events: in each month with activities, one event
(DEFAULT priority) runs them in a fixed order — survey, interviews, workshops, B2B event, feasibility study; every
month then closes (LOW priority) with negotiations, dissolutions, accompaniment, joining, the critical-mass check,
the strategic plan and data collection. The stage-1 analysis (and any month-0 activity) runs in the constructor.
The model never writes files: see :mod:`xbsim.outputs`.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
from mesa.time import Priority, Schedule
from omegaconf import DictConfig, OmegaConf

from xbsim.agents import Company, Facilitator
from xbsim.analysis.stage1 import Stage1, analyse
from xbsim.calendar import programme_calendar
from xbsim.config import validate
from xbsim.domain import Domain
from xbsim.mechanisms import b2b, identification, partnerships, poles, workshops
from xbsim.mechanisms.complementarity import Complementarity
from xbsim.mechanisms.relations import SOURCES
from xbsim.mechanisms.state import State
from xbsim.population import Population, build_population
from xbsim.rng import RandomStreams

MEETING_COLUMNS = ["month", "kind", "event", "company_i", "company_j", "slot", "start_minute", "status", "follow_up",
                   "cross_border"]
JOIN_COLUMNS = ["month", "pole", "company", "territory", "accompanied_months"]
PARTNERSHIP_EVENT_COLUMNS = ["month", "event", "partnership", "company_i", "company_j"]


class XBSimModel(mesa.Model):
    """Companies of several territories meeting, partnering and forming cross-border poles."""

    def __init__(self, cfg: DictConfig | dict[str, Any], replication: int = 0,
                 population: Population | None = None) -> None:
        c = OmegaConf.to_container(cfg, resolve=True) if isinstance(cfg, DictConfig) else dict(cfg)
        validate(c)
        self.cfg: dict[str, Any] = c
        self.streams = RandomStreams(c["seed"], replication)
        super().__init__(rng=self.streams("model"))
        self.replication = replication
        self.horizon = int(c["horizon_months"])
        self.domain = Domain.from_config(c)
        self.population = population if population is not None else build_population(
            self.domain, c["population"], self.streams("population"))
        pop = self.population
        self.state = State(pop.n, len(self.domain.pole_names), len(self.domain.dimensions))
        self.comp = Complementarity(self.domain, pop, c["clues"], self.streams("clues"))
        self.poles = [
            poles.PoleStatus(name, k, np.flatnonzero(self.domain.pole_areas[k]), c["poles"][name]["critical_mass"],
                             c["poles"][name]["markets"])
            for k, name in enumerate(self.domain.pole_names)
        ]
        # Areas of the B2B events: S3 priorities shared by at least two territories.
        self.b2b_areas = self.domain.s3.sum(axis=0) >= 2
        self.b2b_results: list[b2b.EventResult] = []
        self.clues: tuple[np.ndarray, np.ndarray] | None = None  # top-k (indices, scores) after the survey
        self.clue_rows = np.zeros(0, dtype=np.int64)
        self.counters = {"workshop_contacts": 0, "b2b_held": 0, "negotiations_opened": 0, "abandoned": 0}

        for row in range(pop.n):
            Company(self, row)
        acc = c["accompaniment"]
        for k in range(len(self.poles)):
            for _ in range(acc["teams_per_pole"]):
                Facilitator(self, k, acc["capacity"])

        self.datacollector = mesa.DataCollector(
            model_reporters=self._reporters(),
            tables={"meetings": MEETING_COLUMNS, "joins": JOIN_COLUMNS,
                    "partnership_events": PARTNERSHIP_EVENT_COLUMNS},
        )
        self.stage1: Stage1 = analyse(pop, self.domain,
                                      {p: c["poles"][p]["critical_mass"]["min_members"] for p in c["poles"]})
        self._schedule_programme()
        self._record = self._month_record()
        self.datacollector.collect(self)

    # ---- calendar --------------------------------------------------------------------------------
    def _schedule_programme(self) -> None:
        """One Mesa event per month with programme activities (run in calendar order), then the monthly close."""
        self.calendar = programme_calendar(self.cfg)
        for month in self.calendar:
            if month == 0:
                self.run_activities()  # month 0 happens now, in the constructor
            else:
                self.schedule_event(self.run_activities, at=month)
        self.schedule_recurring(self.close_month, Schedule(interval=1, start=1, end=self.horizon),
                                priority=Priority.LOW)

    def run_activities(self) -> None:
        """This month's programme activities, in ``ACTIVITY_ORDER``."""
        for activity in self.calendar.get(self.month, []):
            getattr(self, activity)()

    @property
    def month(self) -> int:
        return int(round(self.time))

    def step(self) -> None:
        """Nothing beyond the calendar: ``model.step()`` advances one month and runs its events."""

    def run(self) -> XBSimModel:
        """Run to the horizon."""
        while self.month < self.horizon:
            self.step()
        self.running = False
        return self

    # ---- programme events ------------------------------------------------------------------------
    def survey(self) -> None:
        """Identification survey, then the clues for collaboration among the known companies."""
        identification.run_survey(self.population, self.state, self.cfg["survey"], self.streams("survey"))
        known = np.flatnonzero(self.state.known)
        self.clues = self.comp.top_k(self.state.obs_capability, self.state.obs_need, known, known,
                                     self.cfg["clues"]["k"])
        self.clue_rows = known

    def interviews(self) -> None:
        identification.run_interviews(self.population, self.state, self.cfg["survey"], self.streams("interviews"))

    def workshops(self) -> None:
        res = workshops.run_workshops(self.population, self.state, self.comp, self.cfg["meetings"],
                                      self.cfg["partnerships"], self.month, self.streams("workshops"))
        self.counters["workshop_contacts"] += res.contact_i.size
        self.counters["negotiations_opened"] += res.negotiations_opened
        terr = self.population.territory
        self._add_rows("meetings", {
            "month": self.month, "kind": "workshop", "event": f"workshops-m{self.month}",
            "company_i": res.contact_i, "company_j": res.contact_j, "slot": -1, "start_minute": -1, "status": "held",
            "follow_up": res.follow_up, "cross_border": terr[res.contact_i] != terr[res.contact_j]})

    def b2b_event(self) -> None:
        res = b2b.run_event(self.population, self.state, self.comp, self.b2b_areas, self.cfg["b2b"], self.month,
                            self.streams("b2b"))
        self.b2b_results.append(res)
        self.counters["b2b_held"] += res.held
        self.counters["negotiations_opened"] += res.negotiations_opened
        t = res.meetings
        terr = self.population.territory
        self._add_rows("meetings", {
            "month": self.month, "kind": "b2b", "event": f"b2b-m{self.month}", "company_i": t["i"],
            "company_j": t["j"], "slot": t["slot"], "status": t["status"], "follow_up": t["follow_up"],
            "start_minute": np.where(t["slot"] >= 0, t["slot"] * self.cfg["b2b"]["slot_minutes"], -1),
            "cross_border": terr[t["i"]] != terr[t["j"]]})

    def feasibility(self) -> None:
        for pole in self.poles:
            poles.run_feasibility(self.domain, self.population, self.state, self.comp, pole,
                                  self.cfg["feasibility"], self.cfg["joining"], self.streams(f"thresholds.{pole.name}"),
                                  k=self.cfg["clues"]["k"])

    def close_month(self) -> None:
        """Negotiations, dissolutions, accompaniment, joining, critical mass, strategic plan, data."""
        month, pop, st = self.month, self.population, self.state
        res = partnerships.progress(pop, st, self.comp, self.cfg["partnerships"], month,
                                    self.streams("partnerships"))
        self.counters["abandoned"] += res.abandoned
        ps = st.partnerships
        for event, ids in (("formed", res.formed), ("dissolved", res.dissolved)):
            self._add_rows("partnership_events", {"month": month, "event": event, "partnership": ids,
                                                  "company_i": ps.i[ids], "company_j": ps.j[ids]})
        self.agents_by_type[Facilitator].shuffle_do("accompany")
        join_rng = self.streams("joining")
        for pole in self.poles:
            if pole.in_formation:
                joined = poles.join(pop, st, pole, self.cfg["joining"], month, join_rng)
                self._add_rows("joins", {"month": month, "pole": pole.name, "company": joined,
                                         "territory": np.array(self.domain.territories.codes)[pop.territory[joined]],
                                         "accompanied_months": st.accompanied[joined, pole.index]})
            crit = poles.evaluate_criteria(self.domain, pop, st, pole)
            if not pole.constituted and pole.in_formation and all(v["met"] for v in crit.values()):
                pole.constitution_month = month
            if pole.constituted:
                for market in poles.reachable_markets(self.domain, pop, st, pole):
                    pole.market_months.setdefault(market, month)
        self._record = self._month_record()
        self.datacollector.collect(self)
        if month >= self.horizon:
            self.running = False  # Mesa's run_model and the app's Play stop here

    # ---- data ------------------------------------------------------------------------------------
    def _add_rows(self, table: str, columns: dict[str, Any]) -> None:
        """Append many rows at once to a DataCollector table (scalars are broadcast)."""
        arrays = {k: v for k, v in columns.items() if isinstance(v, np.ndarray)}
        n = next(iter(arrays.values())).size if arrays else 1
        store = self.datacollector.tables[table]
        for col in store:
            value = columns[col]
            store[col].extend(value.tolist() if isinstance(value, np.ndarray) else [value] * n)

    def _month_record(self) -> dict[str, float]:
        st, pop = self.state, self.population
        ps = st.partnerships
        act = ps.active
        rec: dict[str, float] = {
            "month": self.month,
            "known": int(st.known.sum()),
            "engaged": int(st.engaged.sum()),
            "met": int(st.met.sum()),
            "workshop_contacts": self.counters["workshop_contacts"],
            "b2b_meetings_held": self.counters["b2b_held"],
            "negotiations_open": len(st.negotiations),
            "partnerships_active": int(act.sum()),
            "partnerships_cross_border": int((act & ps.cross_border).sum()),
            "partnerships_formed_total": len(ps),
        }
        codes = self.domain.territories.codes
        for pole in self.poles:
            members = st.member[:, pole.index]
            rec[f"{pole.name}.members"] = int(members.sum())
            per = np.bincount(pop.territory[members], minlength=len(codes))
            for t, code in enumerate(codes):
                rec[f"{pole.name}.members.{code}"] = int(per[t])
            for name, crit in (pole.criteria or poles.evaluate_criteria(self.domain, pop, st, pole)).items():
                rec[f"{pole.name}.{name}"] = crit["value"]
                rec[f"{pole.name}.{name}.threshold"] = crit["threshold"]
                rec[f"{pole.name}.{name}.met"] = bool(crit["met"])
            rec[f"{pole.name}.constituted"] = pole.constituted
        return rec

    def _reporters(self) -> dict[str, Any]:
        """One DataCollector reporter per monthly series (all read this month's record)."""
        keys = list(self._month_record_keys())
        return {k: (lambda m, k=k: m._record[k]) for k in keys}

    def _month_record_keys(self) -> list[str]:
        base = ["month", "known", "engaged", "met", "workshop_contacts", "b2b_meetings_held", "negotiations_open",
                "partnerships_active", "partnerships_cross_border", "partnerships_formed_total"]
        for pole in self.poles:
            base.append(f"{pole.name}.members")
            base += [f"{pole.name}.members.{code}" for code in self.domain.territories.codes]
            for name in poles.CRITERIA:
                base += [f"{pole.name}.{name}", f"{pole.name}.{name}.threshold", f"{pole.name}.{name}.met"]
            base.append(f"{pole.name}.constituted")
        return base

    # ---- results ---------------------------------------------------------------------------------
    def funnel(self) -> dict[str, int]:
        st = self.state
        return {
            "companies": int(self.population.n),
            "surveyed": int(st.known.sum()),
            "engaged": int(st.engaged.sum()),
            "met": int(st.met.sum()),
            "partnered": int(st.partnerships.ever_partnered().sum()),
            "members": int(st.member.any(axis=1).sum()),
        }

    def b2b_totals(self) -> dict[str, int]:
        keys = ["participants", "requests", "accepted", "booked", "held", "follow_ups"]
        tot = {k: sum(r.counts()[k] for r in self.b2b_results) for k in keys}
        tot["partnerships"] = int((self.state.partnerships.source == SOURCES.index("b2b")).sum())
        return tot
