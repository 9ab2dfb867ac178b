"""Synthetic worlds for judging offerodds' fitting procedures, written independently of them.

Each world is a way to draw interviews (who is interviewed, what is observed, which cells are left
empty) and a true log-odds of an offer as a function of the *recorded* cells only, so that
``World.true_probability(typed)`` is the best attainable prediction for a row.

The signals are drawn by this module's own sampler (``Population``: its own latent-interest
model, loadings, context effects, length distribution and missingness, some of it informative),
not by ``offerodds.synthetic``; only the ``package`` world reuses the package generator and its
truth. The true log-odds are computed here from the typed cells with this module's own encoding
(``Truth.log_odds``); where a world says "the card's points" it reads them from
``offerodds.rules()`` (the public rule card) and nothing else.

Worlds (``WORLDS``)::

    base_plus10       the article's base rates are 10 points too low (truth = card + 0.10 per stage)
    base_minus10      ... 10 points too high; latent interest heavy-tailed (t, 4 d.f.)
    card_half         the card's overall strength is half the truth's (truth = 2 x card exactly)
    card_double       the card's overall strength is double the truth's (truth = 0.5 x card)
    reversed4         4 signals work the other way round (selling, hurried, casual_ending,
                      next_steps_explained)
    irrelevant_third  8 of the 24 signals carry nothing
    nonlinear_length  a peaked effect of actual/scheduled length (best near 1.1, worse both
                      ways), not representable by the features; lengths spread more
    context_more      structured format / inexperienced interviewer discount body language and
                      rapport by 85 % / 70 % (card: 40 % each) and a structured format lowers the
                      odds by itself; contexts are more common
    heavy_missing     about half the cells empty, more often for interviews that went badly
    package           offerodds.synthetic.generate and its own truth

"Base truth" (all worlds but card_half, card_double and package): the card's points per signal
times a fixed per-signal multiplier (lognormal, sd 0.35, seed 20240) times 1.25, the card's base
rates, and context discounts of 50 % (structured) and 30 % (inexperienced) instead of 40 %/40 %.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.special import expit, logit

import offerodds

# --------------------------------------------------------------------------------------------
# The signals, as the data contract (DESIGN.md) lists them

SCALES = ("engagement", "eye_contact", "enthusiasm", "rapport", "company_info", "role_info",
          "selling", "skills_depth", "answer_quality")
YESNO = ("distracted", "interrupted_often", "hurried", "casual_ending", "met_all_scheduled",
         "introduced_to_team", "workspace_tour", "follow_up_questions", "career_goals_asked",
         "growth_discussed", "questions_invited", "availability_discussed",
         "next_steps_explained", "timeline_given", "thank_you_within_24h", "handwritten_note")
CONTEXTS = ("structured_format", "inexperienced_interviewer")
BODY = ("engagement", "eye_contact", "enthusiasm", "distracted", "interrupted_often", "hurried",
        "rapport", "casual_ending")  # body language and rapport: context-sensitive
STAGES = ("screen", "first", "final", "other")
LENGTH = "interview_length"
SIGNALS = SCALES + YESNO + (LENGTH,)  # the 26 signals that carry points (contexts and stage do not)
FOLLOW_UP = ("thank_you_within_24h", "handwritten_note")

# --------------------------------------------------------------------------------------------
# How interviews are drawn

#: rating = clip(round(3 + offset + loading * weakening * z + noise * N(0, 1)), 1, 5)
SCALE_LOADING = {"engagement": 0.8, "eye_contact": 0.6, "enthusiasm": 0.75, "rapport": 0.85,
                 "company_info": 0.5, "role_info": 0.6, "selling": 0.85, "skills_depth": 0.7,
                 "answer_quality": 0.65}
SCALE_OFFSET = {"eye_contact": 0.4, "company_info": 0.2, "skills_depth": 0.3, "selling": -0.2}
#: yes with probability expit(a + b * weakening * z)
YESNO_AB = {"distracted": (-1.8, -0.9), "interrupted_often": (-1.2, -0.6),
            "hurried": (-1.6, -1.0), "casual_ending": (-0.2, 0.8),
            "met_all_scheduled": (1.5, 0.5), "introduced_to_team": (-1.0, 0.9),
            "workspace_tour": (-1.5, 0.5), "follow_up_questions": (0.5, 0.7),
            "career_goals_asked": (0.2, 0.5), "growth_discussed": (-0.5, 0.7),
            "questions_invited": (1.8, 0.6), "availability_discussed": (-0.8, 1.1),
            "next_steps_explained": (-0.3, 1.0), "timeline_given": (0.3, 0.8),
            "thank_you_within_24h": (0.6, 0.3), "handwritten_note": (-2.0, 0.2)}


@dataclass(frozen=True)
class Population:
    """Who is interviewed and what gets written down (this module's own sampler)."""

    extra_rounds: float = 0.5          # rounds per application: 1 + Poisson(extra_rounds)
    application_share: float = 0.3     # share of the latent interest's variance per application
    z_df: float | None = None          # None: normal latent interest; else Student t (scaled)
    p_context: tuple = (0.30, 0.20)    # structured format, inexperienced interviewer
    weakening: tuple = (0.5, 0.6)      # how much each context weakens body language's link to z
    stage_p: tuple = (0.35, 0.30, 0.25, 0.10)
    scale_noise: float = 0.85
    scheduled: tuple = ((30, 45, 60, 90, 120), (0.2, 0.3, 0.3, 0.15, 0.05))
    length_loading: float = 0.25       # log(actual / scheduled) = loading z + noise N(0, 1)
    length_noise: float = 0.15
    missing: float = 0.12              # base share of empty cells
    missing_informative: float = 0.0   # log-odds of a cell being empty fall by this per unit z

    def sample(self, n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
        """``n`` interviews: the typed signal frame (floats, stage as text, NaN = not recorded)
        and each row's application id (rounds of one application share it)."""
        rng = np.random.default_rng(seed)
        rounds = 1 + rng.poisson(self.extra_rounds, size=n)
        app = np.repeat(np.arange(n), rounds)[:n]
        shared, own = rng.standard_normal(n)[app], rng.standard_normal(n)
        if self.z_df is not None:  # heavy tails, unit variance
            scale = np.sqrt((self.z_df - 2) / self.z_df)
            shared = rng.standard_t(self.z_df, n)[app] * scale
            own = rng.standard_t(self.z_df, n) * scale
        z = np.sqrt(self.application_share) * shared + np.sqrt(1 - self.application_share) * own
        ctx = {c: rng.random(n) < p for c, p in zip(CONTEXTS, self.p_context)}
        weak = np.ones(n)
        for c, f in zip(CONTEXTS, self.weakening):
            weak = np.where(ctx[c], weak * f, weak)
        values: dict[str, np.ndarray] = {}
        for s in SCALES:
            f = weak if s in BODY else 1.0
            latent = 3.0 + SCALE_OFFSET.get(s, 0.0) + SCALE_LOADING[s] * f * z
            values[s] = np.clip(np.round(latent + self.scale_noise * rng.standard_normal(n)), 1, 5)
        for s in YESNO:
            a, b = YESNO_AB[s]
            f = weak if s in BODY else 1.0
            values[s] = (rng.random(n) < expit(a + b * f * z)).astype(float)
        for c in CONTEXTS:
            values[c] = ctx[c].astype(float)
        options, probs = self.scheduled
        sched = rng.choice(np.asarray(options, float), size=n, p=probs)
        ratio = np.exp(self.length_loading * z + self.length_noise * rng.standard_normal(n))
        values["scheduled_minutes"] = sched
        values["actual_minutes"] = np.clip(5.0 * np.round(sched * ratio / 5.0), 5.0, 1440.0)
        stage = rng.choice(len(STAGES), size=n, p=self.stage_p)

        # empty cells: a per-column hazard, informative when missing_informative > 0
        base = logit(np.clip(self.missing, 1e-9, 1 - 1e-9))
        def empty(factor):
            p = 1 - (1 - expit(base - self.missing_informative * z)) ** factor
            return rng.random(n) < p
        typed = {}
        for col in SCALES + YESNO + CONTEXTS:
            factor = 2.0 if col in FOLLOW_UP else 1.3 if col in CONTEXTS else 1.0
            typed[col] = np.where(empty(factor), np.nan, values[col])
        both = empty(0.6)
        for col in ("scheduled_minutes", "actual_minutes"):
            typed[col] = np.where(both | empty(0.4), np.nan, values[col])
        stage_text = np.asarray(STAGES, dtype=object)[stage]
        stage_text[empty(0.3)] = np.nan
        typed["stage"] = stage_text
        frame = pd.DataFrame(typed)
        frame = frame[[c for c in _input_columns() if c in frame.columns]]
        return frame, app.astype(np.int64)


def _input_columns() -> list[str]:
    return list(offerodds.SignalFeatures().fit(pd.DataFrame(columns=["engagement"])).feature_names_in_)


# --------------------------------------------------------------------------------------------
# The truth: log-odds from the recorded cells, with this module's own encoding


def _col(typed: pd.DataFrame, name: str) -> np.ndarray:
    if name not in typed.columns:
        return np.full(len(typed), np.nan)
    return pd.to_numeric(typed[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def length_bump(ratio: np.ndarray, amplitude: float) -> np.ndarray:
    """The nonlinear world's length effect: highest at 1.1 x the schedule, lower both ways."""
    return amplitude * (np.exp(-0.5 * (np.log(ratio / 1.1) / 0.22) ** 2) - 0.5)


@dataclass(frozen=True)
class Truth:
    """True log-odds = logit(rate of an empty interview at its stage) + sum of signal points."""

    rates: dict                      # "unrecorded" and one per stage
    points: dict                     # scale: w; yes/no: (yes, no); length: (recorded, short, over)
    discount: tuple = (0.5, 0.3)     # share of body-language points each context takes away
    context_points: dict = field(default_factory=dict)  # context: (yes, no) points of its own
    length_amplitude: float | None = None  # not None: the peaked length effect replaces points

    def log_odds(self, typed: pd.DataFrame) -> np.ndarray:
        n = len(typed)
        stage = typed["stage"] if "stage" in typed.columns else pd.Series([np.nan] * n)
        stage = stage.astype(object).to_numpy()
        out = np.full(n, logit(self.rates["unrecorded"]))
        for s in STAGES:
            out = np.where(stage == s, logit(self.rates[s]), out)
        keep = np.ones(n)
        for c, dsc in zip(CONTEXTS, self.discount):
            keep = keep - dsc * (_col(typed, c) == 1.0)
        for s in SCALES + YESNO:
            x = _col(typed, s)
            if s in SCALES:
                part = self.points[s] * np.nan_to_num((x - 3.0) / 2.0)
            else:
                yes, no = self.points[s]
                part = yes * (x == 1.0) + no * (x == 0.0)
            out = out + (part * keep if s in BODY else part)
        for c, (yes, no) in self.context_points.items():
            x = _col(typed, c)
            out = out + yes * (x == 1.0) + no * (x == 0.0)
        ratio = _col(typed, "actual_minutes") / _col(typed, "scheduled_minutes")
        known = np.isfinite(ratio)
        r = np.where(known, ratio, 1.0)
        if self.length_amplitude is None:
            rec, short, over = self.points[LENGTH]
            out = out + known * (rec + short * (np.minimum(r, 1) - 1) + over * np.clip(r - 1, 0, 1))
        else:
            out = out + known * length_bump(r, self.length_amplitude)
        return out


def card_truth(scale: float = 1.0) -> Truth:
    """The rule card itself as a truth, its points times ``scale``, its base rates."""
    card = offerodds.rules()
    names = list(offerodds.SignalFeatures().fit(pd.DataFrame(columns=["engagement"]))
                 .get_feature_names_out())
    w = dict(zip(names, card.coef))
    points = {}
    for s in SCALES:
        points[s] = scale * w[s]
    for s in YESNO:
        points[s] = (scale * w[f"{s}=yes"], scale * w[f"{s}=no"])
    points[LENGTH] = tuple(scale * w[f"{LENGTH}:{k}"] for k in ("recorded", "short", "over"))
    rates = {"unrecorded": float(expit(card.intercept))}
    for s in STAGES:
        rates[s] = float(expit(card.intercept + w[f"stage={s}"]))
    # the card's context discount, read back from its interaction weights
    dsc = tuple(-w[f"engagement*{c}"] / w["engagement"] for c in CONTEXTS)
    return Truth(rates=rates, points=points, discount=dsc)


def base_truth() -> Truth:
    card = card_truth()
    rng = np.random.default_rng(20240)
    mult = {s: 1.25 * float(np.exp(0.35 * rng.standard_normal())) for s in SIGNALS}
    points = {s: (mult[s] * np.asarray(card.points[s])).tolist() if s not in SCALES
              else mult[s] * card.points[s] for s in SIGNALS}
    points = {s: tuple(v) if isinstance(v, list) else v for s, v in points.items()}
    return Truth(rates=dict(card.rates), points=points, discount=(0.5, 0.3))


def _shift_rates(rates: dict, by: float) -> dict:
    return {k: float(np.clip(v + by, 0.02, 0.98)) for k, v in rates.items()}


def _scaled(points: dict, names, factor: float) -> dict:
    out = dict(points)
    for s in names:
        v = out[s]
        out[s] = tuple(factor * np.asarray(v)) if isinstance(v, tuple) else factor * v
    return out


# --------------------------------------------------------------------------------------------
# Worlds


@dataclass(frozen=True)
class World:
    name: str
    description: str
    population: Population | None   # None: the package generator
    truth: Truth | None             # None: the package generator's truth
    missing_rate: float = 0.15      # package world only
    test_population: Population | None = None  # the interviews scored, where they differ

    def sample(self, n: int, seed: int, test: bool = False) -> tuple[pd.DataFrame, np.ndarray]:
        """Typed signal frame and application ids (no outcomes)."""
        if test and self.test_population is not None:
            return self.test_population.sample(n, seed)
        if self.population is None:
            from offerodds.synthetic import generate, typed_frame
            df = generate(n, seed=seed, missing_rate=self.missing_rate, outcomes=False)
            groups = pd.factorize(df["application_id"])[0].astype(np.int64)
            return typed_frame(df), groups
        return self.population.sample(n, seed)

    def true_log_odds(self, typed: pd.DataFrame) -> np.ndarray:
        if self.truth is None:
            from offerodds.synthetic import true_probability
            return logit(true_probability(typed))
        if isinstance(self.truth, FormTruth):
            return logit(self.truth.probability(typed))
        return self.truth.log_odds(typed)

    def true_probability(self, typed: pd.DataFrame) -> np.ndarray:
        return expit(self.true_log_odds(typed))

    def draw(self, n: int, seed: int, test: bool = False):
        """Typed frame, groups, true probability (given what was recorded) and 0/1 outcomes
        (drawn with each application's company effect, where the world has one)."""
        typed, groups = self.sample(n, seed, test)
        p = self.true_probability(typed)
        draw_p = p
        if isinstance(self.truth, FormTruth) and self.truth.company_sd > 0:
            company = self.truth.companies()[groups % 40]
            draw_p = self.truth.probability(typed, company)
        y = (np.random.default_rng([seed, 7]).random(n) < draw_p).astype(int)
        return typed, groups, p, y

    def floor_features(self, typed: pd.DataFrame, X: np.ndarray) -> np.ndarray:
        """The true feature form (for the floor model): ``SignalFeatures`` features ``X``, plus
        the peaked length term in the nonlinear world, the interactions in the new worlds."""
        if isinstance(self.truth, FormTruth):
            return np.column_stack([X, interaction_columns(typed)])
        if self.truth is not None and self.truth.length_amplitude is not None:
            ratio = _col(typed, "actual_minutes") / _col(typed, "scheduled_minutes")
            known = np.isfinite(ratio)
            extra = known * length_bump(np.where(known, ratio, 1.0), 1.0)
            return np.column_stack([X, extra])
        return X


# --------------------------------------------------------------------------------------------
# Worlds beyond the card's form: interactions, informative blanks, companies, errors, a shift


def interaction_log_odds(typed: pd.DataFrame) -> np.ndarray:
    """What the article does not say, in log-odds: a tour counts more in a final round and
    less after a screen, engagement and rapport count more together than apart, the selling
    counts only where the company information was rich (4 or 5), skills questions count
    double in a screen."""
    stage = typed["stage"].astype(object).to_numpy() if "stage" in typed.columns else np.full(len(typed), None)
    tour = np.nan_to_num(_col(typed, "workspace_tour") * 2 - 1)          # +1 yes, -1 no, 0 blank
    eng = np.nan_to_num((_col(typed, "engagement") - 3) / 2)
    rap = np.nan_to_num((_col(typed, "rapport") - 3) / 2)
    sell = np.nan_to_num((_col(typed, "selling") - 3) / 2)
    info_high = _col(typed, "company_info") >= 4
    skills = np.nan_to_num((_col(typed, "skills_depth") - 3) / 2)
    return (0.6 * tour * (stage == "final") - 0.4 * tour * (stage == "screen") + 0.9 * eng * rap
            + 1.0 * sell * info_high - 0.4 * sell + 0.6 * skills * (stage == "screen"))


def interaction_columns(typed: pd.DataFrame) -> np.ndarray:
    """The columns of the true form beyond ``SignalFeatures`` (for the floor model)."""
    stage = typed["stage"].astype(object).to_numpy() if "stage" in typed.columns else np.full(len(typed), None)
    tour = np.nan_to_num(_col(typed, "workspace_tour") * 2 - 1)
    eng = np.nan_to_num((_col(typed, "engagement") - 3) / 2)
    rap = np.nan_to_num((_col(typed, "rapport") - 3) / 2)
    sell = np.nan_to_num((_col(typed, "selling") - 3) / 2)
    skills = np.nan_to_num((_col(typed, "skills_depth") - 3) / 2)
    ratio = _col(typed, "actual_minutes") / _col(typed, "scheduled_minutes")
    known = np.isfinite(ratio)
    bump = known * length_bump(np.where(known, ratio, 1.0), 1.0)
    return np.column_stack([tour * (stage == "final"), tour * (stage == "screen"), eng * rap,
                            sell * (_col(typed, "company_info") >= 4), skills * (stage == "screen"), bump])


#: Blank effects of the messy world: weak answers are left empty more often.
BLANK_POINTS = {"answer_quality": -0.45, "engagement": -0.3, "skills_depth": -0.35, "rapport": -0.25}


@dataclass(frozen=True)
class FormTruth:
    """An additive truth plus interactions and, optionally, blank effects, company effects
    (``company_sd``, per application's company, unrecorded) and outcomes recorded wrongly
    (``flip``): ``probability`` is then P(offer | what was recorded)."""

    base: Truth
    blanks: dict = field(default_factory=dict)
    company_sd: float = 0.0
    flip: float = 0.0

    def companies(self) -> np.ndarray:
        """The world's 40 companies' offsets (an application's company: its id modulo 40)."""
        return np.random.default_rng(2026).standard_normal(40) * self.company_sd

    def log_odds(self, typed: pd.DataFrame) -> np.ndarray:
        out = self.base.log_odds(typed) + interaction_log_odds(typed)
        for s, points in self.blanks.items():
            out = out + points * ~np.isfinite(_col(typed, s))
        return out

    def probability(self, typed: pd.DataFrame, company: np.ndarray | None = None) -> np.ndarray:
        f = self.log_odds(typed)
        if company is not None:
            p = expit(f + company)
        elif self.company_sd > 0:  # P(offer | recorded): averaged over the world's companies
            p = expit(f[:, None] + self.companies()[None, :]).mean(axis=1)
        else:
            p = expit(f)
        return self.flip + (1.0 - 2.0 * self.flip) * p


def worlds() -> dict[str, World]:
    base = base_truth()
    pop = Population()
    card = card_truth()
    reversed_signals = ("selling", "hurried", "casual_ending", "next_steps_explained")
    irrelevant = ("eye_contact", "enthusiasm", "interrupted_often", "workspace_tour",
                  "company_info", "career_goals_asked", "growth_discussed", "questions_invited")
    out = [
        World("base_plus10", "base rates 10 points above the card's", pop,
              replace(base, rates=_shift_rates(base.rates, +0.10))),
        World("base_minus10", "base rates 10 points below the card's; t(4) latent interest",
              replace(pop, z_df=4.0), replace(base, rates=_shift_rates(base.rates, -0.10))),
        World("card_half", "truth = 2 x card (card's strength half the truth)",
              replace(pop, p_context=(0.25, 0.15)),
              replace(card, points=_scaled(card.points, SIGNALS, 2.0))),
        World("card_double", "truth = 0.5 x card (card's strength double the truth)",
              replace(pop, stage_p=(0.25, 0.30, 0.35, 0.10)),
              replace(card, points=_scaled(card.points, SIGNALS, 0.5))),
        World("reversed4", "4 signals reversed: " + ", ".join(reversed_signals), pop,
              replace(base, points=_scaled(base.points, reversed_signals, -1.0))),
        World("irrelevant_third", "8 of 24 signals irrelevant", pop,
              replace(base, points=_scaled(base.points, irrelevant, 0.0))),
        World("nonlinear_length", "peaked length effect (amplitude 1.4), lengths spread more",
              replace(pop, length_loading=0.3, length_noise=0.25),
              replace(base, length_amplitude=1.4)),
        World("context_more", "context discounts 85 %/70 %, structured format -0.3 by itself",
              replace(pop, p_context=(0.45, 0.25)),
              replace(base, discount=(0.85, 0.70),
                      context_points={"structured_format": (-0.3, 0.0)})),
        World("heavy_missing", "about half the cells empty, more so after bad interviews",
              replace(pop, missing=0.45, missing_informative=0.5), base),
        World("package", "offerodds.synthetic.generate and its truth", None, None),
        World("interactions", "stage x signal, signal x signal, a gated signal, a peaked length; truth exact",
              replace(pop, length_loading=0.3, length_noise=0.25),
              FormTruth(replace(base, length_amplitude=1.2))),
        World("messy", "interactions + informative blanks, 40 companies (sd 0.6), 5 % outcomes "
              "recorded wrongly, stage mix shifted when scored",
              replace(pop, length_loading=0.3, length_noise=0.25, missing=0.2, missing_informative=0.6),
              FormTruth(replace(base, length_amplitude=1.2), blanks=BLANK_POINTS, company_sd=0.6, flip=0.05),
              test_population=replace(pop, length_loading=0.3, length_noise=0.25, missing=0.2,
                                      missing_informative=0.6, stage_p=(0.15, 0.25, 0.5, 0.10))),
    ]
    return {w.name: w for w in out}


WORLDS = tuple(worlds())


if __name__ == "__main__":  # a summary of each world
    for name, world in worlds().items():
        typed, groups, p, y = world.draw(50_000, seed=1)
        card = offerodds.rules().decompose(typed).probability
        empty = float(typed.drop(columns="stage").isna().to_numpy().mean())
        print(f"{name:<18} offer rate {y.mean():.3f}  mean p {p.mean():.3f}  card mean {card.mean():.3f}  "
              f"p5/50/95 {np.percentile(p, 5):.3f}/{np.percentile(p, 50):.3f}/{np.percentile(p, 95):.3f}  "
              f"empty {empty:.2f}  card MSE x1e3 {1e3 * np.mean((card - p) ** 2):.1f}")
