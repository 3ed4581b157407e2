"""The Mesa model of a cross-border pole-formation programme. One step = one month.

The programme calendar (:mod:`xbsim.programme.calendar`) becomes Mesa events: in each month with activities, one event
(DEFAULT priority) runs them in a fixed order — outreach, clues, interviews, workshops, B2B events, feasibility
study, reassessment; every month then closes (LOW priority) with referrals, introductions, negotiations,
dissolutions, accompaniment, joining, the critical-mass check, the strategic plan's reachable markets and data
collection. The
stage-1 analysis and the programme's month-0 network run in the constructor. Every pole's activity draws from
its own keyed random streams (``streams.at(mechanism, pole, month)``), so poles that share no actors do not
shift each other's draws. The model never writes files: see :mod:`xbsim.outputs`.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd
from mesa.time import Priority, Schedule
from omegaconf import DictConfig, OmegaConf

from xbsim.core.config import plain, typed, validate
from xbsim.core.config.schema import XBSimConfig
from xbsim.core.domain import Domain
from xbsim.core.population import Population, scenario_actors
from xbsim.core.rng import RandomStreams
from xbsim.model.agents import Actor, Facilitator
from xbsim.model.events import event_logs
from xbsim.programme import (
    b2b,
    critical_mass,
    feasibility,
    identification,
    indicators,
    joining,
    markets,
    partnerships,
    poles,
    workshops,
)
from xbsim.programme.analysis import Stage1, analyse_programme
from xbsim.programme.calendar import programme_calendar
from xbsim.programme.clues import Complementarity
from xbsim.programme.relations import SOURCES
from xbsim.programme.state import CHANNELS, State


def configure(cfg: XBSimConfig | DictConfig | dict[str, Any] | None, rng: int | np.random.Generator | None,
              params: dict[str, Any]) -> dict[str, Any]:
    """The plain configuration of a model: ``cfg`` (default: the shipped default) with ``params`` (dotted keys)
    set on it and ``rng`` as the seed; an unknown key or a wrong type is a one-line :class:`ConfigError`."""
    from omegaconf.errors import OmegaConfBaseException

    from xbsim.core.config import ConfigError, compose

    if isinstance(cfg, XBSimConfig):
        cfg = plain(cfg)
    if cfg is not None and not params and rng is None:  # the common case: a composed or plain config as it is
        return OmegaConf.to_container(cfg, resolve=True) if isinstance(cfg, DictConfig) else dict(cfg)
    base = compose() if cfg is None else (cfg if isinstance(cfg, DictConfig) else OmegaConf.create(dict(cfg)))
    if params or rng is not None:
        base = base.copy()
        if isinstance(rng, np.random.Generator):
            rng = int(rng.integers(0, 2**31 - 1))
        for key, value in {**params, **({} if rng is None else {"seed": int(rng)})}.items():
            dotted = key.replace("__", ".")
            try:
                if OmegaConf.select(base, dotted, default="<missing>") == "<missing>":
                    raise KeyError(dotted)
                OmegaConf.update(base, dotted, value, merge=False)
            except (KeyError, OmegaConfBaseException) as err:
                allowed = "an existing key of the configuration" if isinstance(err, KeyError) else str(err).split(
                    "\n")[0]
                raise ConfigError(dotted, value, allowed) from None
    return OmegaConf.to_container(base, resolve=True)


class XBSimModel(mesa.Model):
    """Actors of several territories meeting, partnering and forming cross-border poles.

    ``XBSimModel(cfg)`` runs a composed configuration (``xbsim.core.config.compose``). Mesa conventions work too:
    ``XBSimModel(rng=7, **{"b2b.max_meetings_per_participant": 4})`` composes the shipped default and sets
    the given keys (dotted, or with ``__`` for ``.``), ``parameters={...}`` does the same from a mapping, and an
    integer ``rng`` is the seed (a Generator seeds it with one draw), so ``mesa.batch_run(XBSimModel,
    parameters={...}, rng=[...])`` returns one tidy row per run and month.
    """

    def __init__(self, cfg: XBSimConfig | DictConfig | dict[str, Any] | None = None, replication: int = 0,
                 population: Population | None = None, *, rng: int | np.random.Generator | None = None,
                 parameters: dict[str, Any] | None = None, **params: Any) -> None:
        c = configure(cfg, rng, {**(parameters or {}), **params})
        validate(c)
        if not c["poles"]:  # poles=auto leaves them to xbsim.study.proposal.propose_poles
            from xbsim.core.config import ConfigError

            raise ConfigError("poles", {}, "at least one pole: with poles=auto, propose them first "
                              "(xbsim.study.proposal.propose_poles(cfg), or the xbsim command)")
        self.cfg: XBSimConfig = typed(c)  # what the mechanisms read, section by section (cfg.b2b.slots)
        cfg = self.cfg
        self.streams = RandomStreams(cfg.seed, replication)
        super().__init__(rng=self.streams("model"))
        self.replication = replication
        self.horizon = int(cfg.horizon_months)
        if population is None:
            self.domain, self.population = scenario_actors(c, replication)
        else:
            self.domain, self.population = Domain.from_config(c), population
        pop, types = self.population, self.domain.actor_types
        self.state = State(pop.n, len(self.domain.pole_names), len(self.domain.dimensions))
        self.comp = Complementarity(self.domain, pop, cfg.clues)
        self.capacity = types.max_partners[pop.kind]  # partnership capacity of each actor
        self.can_partner = self.capacity > 0
        self.poles = [
            poles.PoleStatus(name, k, np.flatnonzero(self.domain.pole_areas[k]), self.domain.pole_themes[k],
                             cfg.poles[name].critical_mass, cfg.poles[name].markets)
            for k, name in enumerate(self.domain.pole_names)
        ]
        for pole in self.poles:  # idiosyncratic joining thresholds, fixed for the run
            pole.threshold = self.streams.at("thresholds", pole.name).normal(0.0, cfg.joining.noise, pop.n)
        # The pole each actor's area belongs to (-1: none), for referrals and brokerage.
        area_pole = np.full(len(self.domain.areas), -1)
        for pole in self.poles:
            area_pole[pole.areas] = np.where(area_pole[pole.areas] < 0, pole.index, area_pole[pole.areas])
        self.actor_pole = area_pole[pop.area]
        self.b2b_results: list[b2b.EventResult] = []
        self.clues: tuple[np.ndarray, np.ndarray] | None = None  # top-k (indices, scores) after identification
        self.clue_rows = np.zeros(0, dtype=np.int64)
        self.counters = {"workshop_contacts": 0, "introductions": 0, "b2b_held": 0, "negotiations_opened": 0,
                         "abandoned": 0, "contacted": 0, "referrals_passed": 0, "referrals_followed": 0}

        for row in range(pop.n):
            Actor(self, row)
        acc = cfg.accompaniment
        for k in range(len(self.poles)):
            for _ in range(acc.teams_per_pole):
                Facilitator(self, k, acc.capacity)

        self.datacollector = mesa.DataCollector(
            model_reporters=self._reporters())
        self.events = event_logs()  # meetings, joins, partnership_events (xbsim.model.events)
        self.stage1: Stage1 = analyse_programme(pop, self.domain, cfg.poles)
        identification.start_known(pop, self.state, types.known_at_start, cfg.survey,
                                   self.streams.at("identification", 0))
        self._schedule_programme()
        self._record = self._month_record()
        self.datacollector.collect(self)

    # ---- calendar --------------------------------------------------------------------------------
    def _schedule_programme(self) -> None:
        """One Mesa event per month with programme activities (run in calendar order), then the monthly close."""
        self.calendar = programme_calendar(self.cfg)
        for month in self.calendar:
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

    @property
    def noise(self) -> float:
        return float(self.cfg.survey.perception_noise)

    # ---- programme activities --------------------------------------------------------------------
    def outreach(self) -> None:
        """Each pole's outreach team: warm leads, then (in the identification stage) cold contacts."""
        out = self.cfg.outreach
        for pole in self.poles:
            targets = feasibility.outreach_targets(self.domain, self.population, self.state, pole,
                                             out.conditional_factor)
            res = identification.run_outreach(
                self.population, self.state, self.domain.pole_areas[pole.index], out,
                self.cfg.population.openness_mean, self.noise, self.month,
                self.streams.at("outreach", pole.name, self.month), targets)
            self.counters["contacted"] += res.contacted
            self.counters["referrals_followed"] += res.referrals_followed

    def clues_for_collaboration(self) -> None:
        """The clues derived at the end of the identification stage: each known actor's best matches."""
        known = np.flatnonzero(self.state.known)
        self.clues = self.comp.top_k(self.state.obs_capability, self.state.obs_need, known, known,
                                     self.cfg.clues.k, self.streams.at("clues", self.month))
        self.clue_rows = known

    def interviews(self) -> None:
        """Each pole's team interviews its most promising known candidates."""
        for pole in self.poles:
            identification.run_interviews(self.population, self.state, self.cfg.survey,
                                          self.streams.at("interviews", pole.name, self.month),
                                          eligible=self.actor_pole == pole.index)

    def workshops(self) -> None:
        """Each pole's thematic workshop."""
        for pole in self.poles:
            res = workshops.run_workshop(self.population, self.state, self.comp, pole.index, pole.theme,
                                         self.cfg.workshops, self.cfg.b2b, self.noise, self.month,
                                         self.streams.at("workshops", pole.name, self.month), self.can_partner)
            self.counters["workshop_contacts"] += res.contact_i.size
            self.counters["negotiations_opened"] += res.negotiations_opened
            self._add_contacts("workshop", f"workshop-{pole.name}-m{self.month}", pole.name, res)

    def b2b_event(self) -> None:
        """Each pole's thematic B2B event."""
        for pole in self.poles:
            res = b2b.run_event(self.population, self.state, self.comp, pole.index, pole.theme, self.can_partner,
                                self.cfg.b2b, self.noise, self.month,
                                self.streams.at("b2b", pole.name, self.month))
            self.b2b_results.append(res)
            self.counters["b2b_held"] += res.held
            self.counters["negotiations_opened"] += res.negotiations_opened
            t = res.meetings
            self.events["meetings"].add({
                "month": self.month, "kind": "b2b", "event": f"b2b-{pole.name}-m{self.month}", "pole": pole.name,
                "company_i": t["i"], "company_j": t["j"], "slot": t["slot"], "status": t["status"],
                "follow_up": t["follow_up"],
                "start_minute": np.where(t["slot"] >= 0, t["slot"] * self.cfg.b2b.slot_minutes, -1),
                "cross_border": self.comp.cross_border(t["i"], t["j"]),
                "interregional": self.comp.interregional(t["i"], t["j"])})

    def feasibility(self) -> None:
        """The feasibility study of every pole: synergy, then the staged verdict."""
        for pole in self.poles:
            joining.compute_synergy(self.population, self.state, self.comp, pole, self.cfg.clues.k,
                                  self.streams.at("synergy", pole.name))
            feasibility.assess(self.domain, self.population, self.state, self.comp, pole, self.cfg.feasibility,
                         self.cfg.joining, self.month, final=False)

    def reassessment(self) -> None:
        """A conditional go is decided again: go if every check passes, else no-go."""
        for pole in self.poles:
            if pole.verdict == "conditional":
                feasibility.assess(self.domain, self.population, self.state, self.comp, pole,
                             self.cfg.feasibility, self.cfg.joining, self.month, final=True)

    # ---- the monthly close -----------------------------------------------------------------------
    def close_month(self) -> None:
        """Referrals, introductions, negotiations, dissolutions, accompaniment, joining, critical mass, the
        strategic plan's reachable markets, data."""
        month, pop, st = self.month, self.population, self.state
        if month >= self.cfg.outreach.start:
            for pole in self.poles:
                ref = identification.pass_referrals(pop, st, self.actor_pole == pole.index,
                                                    self.domain.actor_types.referrals_per_month,
                                                    self.streams.at("referrals", pole.name, month))
                self.counters["referrals_passed"] += ref.size
        self.broker_introductions()
        res = partnerships.progress(pop, st, self.comp, self.cfg.partnerships, self.capacity, month,
                                    [self.streams.at("partnerships", pole.name, month) for pole in self.poles])
        self.counters["abandoned"] += res.abandoned
        ps = st.partnerships
        for event, ids in (("formed", res.formed), ("dissolved", res.dissolved)):
            self.events["partnership_events"].add({"month": month, "event": event, "partnership": ids,
                                                  "company_i": ps.i[ids], "company_j": ps.j[ids]})
        if Facilitator in self.agents_by_type:  # accompaniment.teams_per_pole=0: no facilitator team
            self.agents_by_type[Facilitator].shuffle_do("accompany")
        codes = np.array(self.domain.territories.codes)
        type_names = np.array(self.domain.actor_types.names)
        for pole in self.poles:
            if pole.in_formation:  # candidates known since the study get their synergy, then all may join
                joining.compute_synergy(pop, st, self.comp, pole, self.cfg.clues.k,
                                      self.streams.at("synergy", pole.name, month))
                joined = joining.join(self.domain, pop, st, pole, self.cfg.joining, month,
                                    self.streams.at("joining", pole.name, month))
                self.events["joins"].add({"month": month, "pole": pole.name, "company": joined,
                                         "actor_type": type_names[pop.kind[joined]],
                                         "territory": codes[pop.territory[joined]],
                                         "accompanied_months": st.accompanied[joined, pole.index]})
            pole.criteria = critical_mass.evaluate_criteria(self.domain, pop, st, pole)
            if (not pole.constituted and pole.verdict == "go"
                    and all(v["met"] for v in pole.criteria.values())):
                pole.constitution_month = month
            if pole.constituted:
                for market in markets.reachable_markets(self.domain, pop, st, pole):
                    pole.market_months.setdefault(market, month)
        self._record = self._month_record()
        self.datacollector.collect(self)
        if month >= self.horizon:
            self.running = False  # Mesa's run_model and the app's Play stop here

    def broker_introductions(self) -> None:
        """Engaged brokers (intermediaries) introduce clients across the border; so do a pole's facilitators
        when its conditional go asks for cross-border partnerships among the interested actors."""
        pop, st, types, month = self.population, self.state, self.domain.actor_types, self.month
        if month < self.cfg.workshops.start:
            return
        per = types.introductions_per_month[pop.kind]
        for pole in self.poles:
            rng = self.streams.at("introductions", pole.name, month)
            brokers = np.flatnonzero((per > 0) & st.known & st.engaged & (self.actor_pole == pole.index))
            clients = workshops.broker_clients(pop, st, brokers, per[brokers], rng)
            pool = np.flatnonzero(st.known & pole.theme[pop.area] & self.can_partner)
            res = workshops.introduce(pop, st, self.comp, pole.index, clients, pool, self.cfg.workshops,
                                      self.cfg.b2b, month, rng, self.can_partner)
            self._add_contacts("introduction", f"introductions-{pole.name}-m{month}", pole.name, res)
            if pole.condition("cross_border_links"):
                interested = feasibility.interested_actors(self.domain, pop, st, pole, self.cfg.joining,
                                                     self.cfg.feasibility)
                n = self.cfg.accompaniment.introductions_per_month * self.cfg.accompaniment.teams_per_pole
                interested = interested[self.can_partner[interested]]
                lonely = interested[st.partnerships.degree(cross_border_only=True)[interested] == 0]
                clients = lonely[np.argsort(rng.random(lonely.size))[:n]]
                res = workshops.introduce(pop, st, self.comp, pole.index, clients, interested,
                                          self.cfg.workshops, self.cfg.b2b, month, rng, self.can_partner)
                self._add_contacts("introduction", f"facilitation-{pole.name}-m{month}", pole.name, res)

    # ---- data ------------------------------------------------------------------------------------
    def _add_contacts(self, kind: str, event: str, pole: str, res: workshops.ContactResult) -> None:
        """Record workshop contacts or introductions in the meetings table."""
        if kind == "introduction":
            self.counters["introductions"] += res.contact_i.size
            self.counters["negotiations_opened"] += res.negotiations_opened
        i, j = res.contact_i, res.contact_j
        self.events["meetings"].add({
            "month": self.month, "kind": kind, "event": event, "pole": pole, "company_i": i, "company_j": j,
            "slot": -1, "start_minute": -1, "status": "held", "follow_up": res.follow_up,
            "cross_border": self.comp.cross_border(i, j), "interregional": self.comp.interregional(i, j)})

    def _month_record(self) -> dict[str, float]:
        st, pop = self.state, self.population
        ps = st.partnerships
        act = ps.active
        rec: dict[str, float] = {
            "month": self.month,
            "contacted": self.counters["contacted"],
            "known": int(st.known.sum()),
            "engaged": int(st.engaged.sum()),
            "met": int(st.met.sum()),
            "workshop_contacts": self.counters["workshop_contacts"],
            "introductions": self.counters["introductions"],
            "b2b_meetings_held": self.counters["b2b_held"],
            "negotiations_open": len(st.negotiations),
            "partnerships_active": int(act.sum()),
            "partnerships_cross_border": int((act & ps.cross_border).sum()),
            "partnerships_interregional": int((act & ps.interregional).sum()),
            "partnerships_formed_total": len(ps),
        }
        codes = self.domain.territories.codes
        for pole in self.poles:
            members = st.member[:, pole.index]
            rec[f"{pole.name}.members"] = int(members.sum())
            rec[f"{pole.name}.member_companies"] = int((members & pop.is_company).sum())
            per = np.bincount(pop.territory[members], minlength=len(codes))
            for t, code in enumerate(codes):
                rec[f"{pole.name}.members.{code}"] = int(per[t])
            crit = pole.criteria or critical_mass.evaluate_criteria(self.domain, pop, st, pole)
            for name in critical_mass.CRITERIA:
                rec[f"{pole.name}.{name}"] = crit[name]["value"]
                rec[f"{pole.name}.{name}.threshold"] = crit[name]["threshold"]
                rec[f"{pole.name}.{name}.met"] = bool(crit[name]["met"])
            rec[f"{pole.name}.verdict"] = pole.verdict or "pending"
            rec[f"{pole.name}.constituted"] = pole.constituted
        return rec

    def _reporters(self) -> dict[str, Any]:
        """One DataCollector reporter per monthly series (all read this month's record)."""
        return {k: (lambda m, k=k: m._record[k]) for k in self._month_record()}

    # ---- results ---------------------------------------------------------------------------------
    def funnel(self) -> dict[str, int]:
        """Actors at each stage: all, contacted or referred, known, engaged, met, partnered, pole members."""
        st = self.state
        return {
            "actors": int(self.population.n),
            "contacted": int((st.contacted | st.referral_followed | st.known).sum()),
            "known": int(st.known.sum()),
            "engaged": int(st.engaged.sum()),
            "met": int(st.met.sum()),
            "partnered": int(st.partnerships.ever_partnered().sum()),
            "members": int(st.member.any(axis=1).sum()),
        }

    def companies(self) -> pd.DataFrame:
        """One row per actor (companies.csv): its attributes, programme status, partners and pole memberships.
        The actors are rows of the population's arrays (each Mesa agent is a handle on its row); this is the
        table a notebook reads."""
        st = self.state
        df = self.population.to_frame(self.domain)
        df.insert(len(df.columns) - 2 * len(self.domain.dimensions), "known", st.known)
        df["known_month"] = st.known_month
        df["channel"] = np.where(st.channel >= 0, np.array(CHANNELS)[np.maximum(st.channel, 0)], "")
        df["contacted"] = st.contacted
        df["interviewed"] = st.interviewed
        df["engaged"] = st.engaged
        df["met"] = st.met
        df["partners"] = st.partnerships.degree()
        df["cross_border_partners"] = st.partnerships.degree(cross_border_only=True)
        for k, name in enumerate(self.domain.pole_names):
            df[f"member_{name}"] = st.member[:, k]
            df[f"join_month_{name}"] = st.join_month[:, k]
            df[f"accompanied_months_{name}"] = st.accompanied[:, k]
        return df

    def b2b_totals(self) -> dict[str, int]:
        keys = ["participants", "requests", "accepted", "booked", "held", "follow_ups"]
        tot = {k: sum(r.counts()[k] for r in self.b2b_results) for k in keys}
        tot["partnerships"] = int((self.state.partnerships.source == SOURCES.index("b2b")).sum())
        return tot

    def indicators(self) -> dict[str, int]:
        """The Interreg common indicators of the run so far (docs/indicators.md), from its events; the draws of
        post-programme survival and solution delivery come from their own streams ("after_programme",
        "solutions"), so the result is the same however often it is asked."""
        pop, st, p = self.population, self.state, self.cfg.partnerships
        ps = st.partnerships
        gi = partnerships.expected_gain(pop, st, self.comp, p, ps.i, ps.j)
        gj = partnerships.expected_gain(pop, st, self.comp, p, ps.j, ps.i)
        hazard = p.dissolution_rate * np.where(np.minimum(gi, gj) < p.base_cost, p.dissolution_factor, 1.0)
        ind = self.cfg.indicators
        names = self.domain.actor_types.names
        return indicators.compute(
            n=pop.n, is_company=pop.is_company, size=pop.size, kind=pop.kind, country=self.comp.country,
            ps=ps, met=st.met, accompanied=st.accompanied, member=st.member,
            constituted=[pole.constituted for pole in self.poles],
            research_kinds=[names.index(t) for t in ind.research_types], hazard=hazard, horizon=self.month,
            params=ind, rng_after=self.streams.at("after_programme"), rng_solutions=self.streams.at("solutions"))

    # ---- interventions -----------------------------------------------------------------------------
    #: keys fixed when the model is built (the population, the domain, the calendar's length, the teams).
    FIXED_KEYS: tuple[str, ...] = ("seed", "horizon_months", "population", "territories", "areas", "dimensions",
                                   "actors", "poles", "accompaniment.teams_per_pole", "replications", "study")

    def apply_from_now(self, params: dict[str, Any]) -> None:
        """Set configuration keys (dotted) from the next month on, e.g. an extra B2B event or more accompaniment:
        months already run are unchanged, later activity months of the new calendar are scheduled and the
        facilitator teams take the new capacity. Keys fixed at construction (:attr:`FIXED_KEYS`) are refused."""
        from xbsim.core.config import ConfigError

        for key, value in params.items():
            dotted = key.replace("__", ".")
            if any(dotted == f or dotted.startswith(f + ".") for f in self.FIXED_KEYS):
                raise ConfigError(dotted, value, "a key read during the run (not " + ", ".join(self.FIXED_KEYS) + ")")
        c = configure(plain(self.cfg), None, params)
        validate(c)
        self.cfg = typed(c)
        calendar = programme_calendar(self.cfg)
        for month in sorted(m for m in calendar if m > self.month and m not in self.calendar):
            self.schedule_event(self.run_activities, at=month)
        self.calendar = {**{m: a for m, a in self.calendar.items() if m <= self.month},
                         **{m: a for m, a in calendar.items() if m > self.month}}
        for team in self.agents_by_type.get(Facilitator, []):
            team.capacity = int(self.cfg.accompaniment.capacity)
