"""Events: who did what to whom (PLOVER types and modes), from the parse and a trigger lexicon.

`lexicon` reads the triggers, `arguments` finds each trigger's source, target and location,
`flags` sets negated/hypothetical/future/historical and the clause's own certainty, and
`component` runs them as the ``events`` extraction component. See docs/events.md.
"""

from newsgraph.extract.events.component import events
from newsgraph.extract.events.lexicon import Spec, TriggerLexicon, trigger_lexicon

__all__ = ["Spec", "TriggerLexicon", "events", "trigger_lexicon"]
