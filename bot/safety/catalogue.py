"""Load and validate the red-flag catalogue (``content/red_flags.yml``).

Clinicians edit the catalogue, not the code. It holds:

* ``concepts``: the concept lexicons, named lists of words and phrases ("numb",
  "saddle_area", "urine"...). Terms are written naturally; they are matched on lemmas
  (so "legs", "leg" and "feeling"/"felt" match the same term) unless the concept says
  ``match_on: text``. ``exclude`` lists phrases that cancel an overlapping term ("bottom
  of my foot"); ``include`` pulls in the terms of other concepts, so a broad concept
  ("sensation_change") can be built from narrower ones.
* ``context``: the cue lists used to read the message correctly (negation, other
  people, resolved events, hypothetical questions, clause boundaries).
* ``normalisation``: text-speak and misspelling fixes, contractions read only before a
  negation ("ca" in "ca n't"), filler words skipped when matching ("doesn't *really*
  feel"), plus the fuzzy-matching settings.
* ``derived``: thresholds for the few concepts computed from numbers (age, minutes).
* ``flags``: each red flag with its tier, response and matching ``rules``. A rule is a
  concept frame: it names the concepts that must all be present (affirmed, the
  patient's own, current) in the same clause, sentence or message, in any order and
  with any words between (``window`` can bound the distance); ``phrases`` is shorthand
  for one-concept rules.
* ``asks``: clarifying questions for signals that suggest but do not establish a red
  flag ("my legs feel funny"). Each has the flag and tier a YES means, the question
  and its SMS variant, sources, a reading grade, and frames (``rules``) like a flag's.

The parsed catalogue is made of the typed entries in :mod:`bot.safety.entries`; the
detector compiles it once at load (:mod:`bot.safety.detector`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from bot.safety.entries import (
    SCOPES,
    Ask,
    Catalogue,
    CatalogueError,
    Concept,
    FlagSpec,
    Normalisation,
    Rule,
    Scope,
)
from bot.safety.model import Tier

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CATALOGUE = REPO_ROOT / "content" / "red_flags.yml"

RESPONSES = frozenset(
    {
        "utter_urgent_care_emergency",
        "utter_urgent_care_same_day",
        "utter_urgent_care_soon",
        "utter_urgent_care_crisis",
        "utter_urgent_care_low_mood",
    }
)
# The cauda equina and progressive neurological flags: every catalogue must have them,
# and each is answered with the plain emergency response (no kind-specific variant).
NEUROLOGICAL_EMERGENCY_FLAGS = (
    "cauda_equina_saddle",
    "cauda_equina_bladder",
    "cauda_equina_bowel",
    "cauda_equina_sexual",
    "leg_weakness_progressive",
    "bilateral_leg_symptoms",
)
# Concepts computed in code from numbers rather than matched from term lists.
DERIVED_CONCEPTS = frozenset(
    {"age_risk", "age_young", "long_duration_number", "fever_number", "past_year", "score_rise"}
)


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise CatalogueError(f"{where}: expected a list of strings")
    out = tuple(str(item).strip() for item in value)
    if any(not item for item in out):
        raise CatalogueError(f"{where}: empty string in list")
    return out


def _concept(name: str, raw: Any) -> Concept:
    if isinstance(raw, list):
        return Concept(name=name, terms=_strs(raw, f"concept {name}"))
    if not isinstance(raw, Mapping):
        raise CatalogueError(f"concept {name}: expected a list or a mapping")
    match_on = raw.get("match_on", "lemma")
    if match_on not in ("lemma", "text"):
        raise CatalogueError(f"concept {name}: match_on must be lemma or text")
    terms = _strs(raw.get("terms"), f"concept {name}")
    include = _strs(raw.get("include"), f"concept {name} include")
    if not terms and not include:
        raise CatalogueError(f"concept {name}: no terms")
    return Concept(
        name=name,
        terms=terms,
        match_on=match_on,
        exclude=_strs(raw.get("exclude"), f"concept {name} exclude"),
        include=include,
    )


def _resolve_includes(concepts: dict[str, Concept]) -> dict[str, Concept]:
    """Merge included concepts' terms and exclusions into each concept (no cycles)."""
    resolved: dict[str, Concept] = {}

    def resolve(name: str, seen: tuple[str, ...]) -> Concept:
        if name in resolved:
            return resolved[name]
        if name not in concepts:
            raise CatalogueError(f"concept {seen[-1]}: includes unknown concept {name}")
        if name in seen:
            raise CatalogueError(f"concept {name}: include cycle {[*seen, name]}")
        concept = concepts[name]
        terms, exclude = list(concept.terms), list(concept.exclude)
        for other in concept.include:
            inner = resolve(other, (*seen, name))
            terms.extend(inner.terms)
            exclude.extend(inner.exclude)
        result = Concept(
            name=name,
            terms=tuple(dict.fromkeys(terms)),
            match_on=concept.match_on,
            exclude=tuple(dict.fromkeys(exclude)),
        )
        resolved[name] = result
        return result

    return {name: resolve(name, ()) for name in concepts}


def _scope(value: Any, default: Scope, where: str) -> Scope:
    scope = default if value is None else str(value)
    if scope not in SCOPES:
        raise CatalogueError(f"{where}: scope must be one of {sorted(SCOPES)}")
    return scope  # type: ignore[return-value]


def _flag(raw: Mapping[str, Any], concepts: dict[str, Concept]) -> FlagSpec:
    flag_id = str(raw.get("id", "")).strip()
    if not flag_id:
        raise CatalogueError("flag without id")
    for key in ("tier", "description", "response", "sources"):
        if not raw.get(key):
            raise CatalogueError(f"flag {flag_id}: missing {key}")
    try:
        tier = Tier(str(raw["tier"]))
    except ValueError as exc:
        raise CatalogueError(f"flag {flag_id}: unknown tier {raw['tier']!r}") from exc
    if tier is Tier.NONE:
        raise CatalogueError(f"flag {flag_id}: tier cannot be none")
    response = str(raw["response"])
    # Emergency advice may be split by what to do: utter_urgent_care_emergency_<kind>.
    if response not in RESPONSES and not response.startswith("utter_urgent_care_emergency_"):
        raise CatalogueError(f"flag {flag_id}: unknown response {response!r}")

    rules: list[Rule] = []
    phrases = _strs(raw.get("phrases"), f"flag {flag_id} phrases")
    if phrases:
        # Inline phrases become a private concept so clinicians need not name one.
        name = f"{flag_id}__phrases"
        concepts[name] = Concept(name=name, terms=phrases)
        rules.append(
            Rule(
                all=(name,),
                unless=_strs(raw.get("phrases_unless"), flag_id),
                unless_scope=_scope(raw.get("phrases_unless_scope"), "sentence", flag_id),
            )
        )
    rules.extend(_rules(raw.get("rules"), f"flag {flag_id}"))
    if not rules:
        raise CatalogueError(f"flag {flag_id}: no phrases or rules")
    return FlagSpec(
        id=flag_id,
        tier=tier,
        description=str(raw["description"]).strip(),
        response=response,
        sources=_strs(raw["sources"], f"flag {flag_id} sources"),
        rules=tuple(rules),
        history_counts=bool(raw.get("history_counts", False)),
        ignore_distant_past=bool(raw.get("ignore_distant_past", False)),
        suppressed_by=_strs(raw.get("suppressed_by"), f"flag {flag_id} suppressed_by"),
    )


def _rules(raw: Any, owner: str) -> list[Rule]:
    rules: list[Rule] = []
    for index, rule in enumerate(raw or []):
        where = f"{owner} rule {index}"
        if not isinstance(rule, Mapping):
            raise CatalogueError(f"{where}: expected a mapping")
        needed = _strs(rule.get("all"), where)
        if not needed:
            raise CatalogueError(f"{where}: 'all' is empty")
        window = rule.get("window")
        rules.append(
            Rule(
                all=needed,
                scope=_scope(rule.get("scope"), "clause", where),
                window=int(window) if window is not None else None,
                unless=_strs(rule.get("unless"), where),
                unless_scope=_scope(rule.get("unless_scope"), "sentence", where),
                history_counts=bool(rule.get("history_counts", False)),
            )
        )
    return rules


def _ask(raw: Any, flags: Mapping[str, FlagSpec]) -> Ask:
    if not isinstance(raw, Mapping):
        raise CatalogueError("ask: expected a mapping")
    ask_id = str(raw.get("id", "")).strip()
    if not ask_id:
        raise CatalogueError("ask without id")
    for key in ("flag", "tier", "question", "sms", "sources", "reading_grade", "rules"):
        if raw.get(key) in (None, "", []):
            raise CatalogueError(f"ask {ask_id}: missing {key}")
    flag = str(raw["flag"])
    if flag not in flags:
        raise CatalogueError(f"ask {ask_id}: unknown flag {flag!r}")
    try:
        tier = Tier(str(raw["tier"]))
    except ValueError as exc:
        raise CatalogueError(f"ask {ask_id}: unknown tier {raw['tier']!r}") from exc
    if tier is not flags[flag].tier:
        raise CatalogueError(f"ask {ask_id}: tier {tier.value} is not {flag}'s tier")
    grade = raw["reading_grade"]
    if not isinstance(grade, (int, float)) or isinstance(grade, bool):
        raise CatalogueError(f"ask {ask_id}: reading_grade must be a number")
    return Ask(
        id=ask_id,
        flag=flag,
        tier=tier,
        question=str(raw["question"]).strip(),
        sms=str(raw["sms"]).strip(),
        sources=_strs(raw["sources"], f"ask {ask_id} sources"),
        reading_grade=float(grade),
        rules=tuple(_rules(raw["rules"], f"ask {ask_id}")),
        own_questions=bool(raw.get("own_questions", False)),
    )


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """Build a :class:`Catalogue` from the YAML data, checking every reference."""
    concepts = {name: _concept(name, raw) for name, raw in (data.get("concepts") or {}).items()}
    context_raw = data.get("context") or {}
    context = {
        name: _concept(name, raw)
        for name, raw in context_raw.items()
        if name not in _CONTEXT_SETTINGS
    }
    for required in _CONTEXT_CONCEPTS:
        if required not in context:
            raise CatalogueError(f"context: missing {required}")

    concepts = _resolve_includes(concepts)
    flags = tuple(_flag(raw, concepts) for raw in data.get("flags") or [])
    ids = [flag.id for flag in flags]
    duplicates = sorted({flag_id for flag_id in ids if ids.count(flag_id) > 1})
    if duplicates:
        raise CatalogueError(f"duplicate flag ids: {duplicates}")
    by_id = {flag.id: flag for flag in flags}
    asks = tuple(_ask(raw, by_id) for raw in data.get("asks") or [])
    ask_ids = [ask.id for ask in asks]
    if len(set(ask_ids)) != len(ask_ids):
        raise CatalogueError(f"duplicate ask ids: {sorted(ask_ids)}")
    known = set(concepts) | set(context) | DERIVED_CONCEPTS
    source_ids = {str(source.get("id")) for source in data.get("sources") or []}
    owners: list[tuple[str, tuple[Rule, ...], tuple[str, ...], tuple[str, ...]]] = [
        (f"flag {flag.id}", flag.rules, flag.suppressed_by, flag.sources) for flag in flags
    ]
    owners += [(f"ask {ask.id}", ask.rules, (), ask.sources) for ask in asks]
    for owner, rules, suppressed_by, sources in owners:
        names = [name for rule in rules for name in (*rule.all, *rule.unless)]
        missing = [name for name in (*names, *suppressed_by) if name not in known]
        if missing:
            raise CatalogueError(f"{owner}: unknown concepts {missing}")
        unknown_sources = [source for source in sources if source not in source_ids]
        if unknown_sources:
            raise CatalogueError(f"{owner}: unknown sources {unknown_sources}")

    onset = context_raw.get("onset_overrides") or {}
    unknown_onset = [
        name
        for name in (*_strs(onset.get("cues"), "cues"), *_strs(onset.get("blockers"), "blockers"))
        if name not in known
    ]
    if unknown_onset:
        raise CatalogueError(f"context onset_overrides: unknown concepts {unknown_onset}")
    timeless = frozenset(_strs(context_raw.get("timeless"), "timeless"))
    if timeless - set(known):
        raise CatalogueError(f"context timeless: unknown concepts {sorted(timeless - set(known))}")

    norm = data.get("normalisation") or {}
    fuzzy = norm.get("fuzzy") or {}
    normalisation = Normalisation(
        split={
            str(k).lower(): _strs(v, f"split {k}") for k, v in (norm.get("split") or {}).items()
        },
        words={str(k).lower(): str(v).lower() for k, v in (norm.get("words") or {}).items()},
        fuzzy_targets=_strs(fuzzy.get("targets"), "fuzzy targets"),
        fuzzy_ignore=frozenset(w.lower() for w in _strs(fuzzy.get("ignore"), "fuzzy ignore")),
        fuzzy_min_length=int(fuzzy.get("min_length", 5)),
        fuzzy_min_score=float(fuzzy.get("min_score", 88)),
        contractions={
            str(k).lower(): str(v).lower() for k, v in (norm.get("contractions") or {}).items()
        },
        fillers=frozenset(w.lower() for w in _strs(norm.get("fillers"), "fillers")),
    )
    for word, parts in normalisation.split.items():
        if "".join(parts) != word:
            raise CatalogueError(f"split {word}: parts must spell the word exactly")

    return Catalogue(
        sources=tuple(data.get("sources") or ()),
        review=dict(data.get("review") or {}),
        concepts=concepts,
        context=context,
        flags=flags,
        normalisation=normalisation,
        clause_breaks=_lower_set(context_raw.get("clause_breaks"), "clause_breaks"),
        clause_joiners=_lower_set(context_raw.get("clause_joiners"), "clause_joiners"),
        clause_subjects=_lower_set(context_raw.get("clause_subjects"), "clause_subjects"),
        self_words=_lower_set(context_raw.get("self_words"), "self_words"),
        negation_window=int(context_raw.get("negation_window", 8)),
        derived=dict(data.get("derived") or {}),
        asks=asks,
        generic_words=_lower_set(context_raw.get("generic_words"), "generic_words"),
        self_actions=frozenset(_strs(context_raw.get("self_actions"), "self_actions")),
        timeless=timeless,
        onset_cues=frozenset(_strs(onset.get("cues"), "onset_overrides cues")),
        onset_blockers=frozenset(_strs(onset.get("blockers"), "onset_overrides blockers")),
    )


# Context entries that are settings (plain word sets), not phrase concepts.
_CONTEXT_SETTINGS = frozenset(
    {
        "clause_breaks",
        "clause_joiners",
        "clause_subjects",
        "self_words",
        "negation_window",
        "generic_words",
        "self_actions",
        "onset_overrides",
        "timeless",
    }
)
# Context concepts the detector relies on.
_CONTEXT_CONCEPTS = (
    "negation",
    "pseudo_negation",
    "other_person",
    "other_person_after",
    "resolved",
    "distant_past",
    "hypothetical_forward",
    "hypothetical_clause",
    "warning_sign_words",
    "conditional",
)


def _lower_set(value: Any, where: str) -> frozenset[str]:
    return frozenset(item.lower() for item in _strs(value, where))


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice in one mapping.

    PyYAML keeps the last of two equal keys; in the catalogue that silently drops a
    clinician's entry (a second ``phrases_unless`` hides the first).
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise CatalogueError(f"line {key_node.start_mark.line + 1}: {key!r} given twice")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and validate the catalogue YAML (default ``content/red_flags.yml``)."""
    target = path or DEFAULT_CATALOGUE
    data = yaml.load(target.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    if not isinstance(data, Mapping):
        raise CatalogueError(f"{target}: expected a mapping at top level")
    return parse_catalogue(data)
