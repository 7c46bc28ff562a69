"""Headlines of two stories for the front page tests (core and Pilot): story A in three
sources, story B in two; the grouper puts each story's headlines together."""

STORY_A = [
    "Minsk closes airspace for parade rehearsal",
    "Belarus closes Minsk airspace ahead of military parade rehearsal",
    "Minsk airspace closed for parade rehearsal, airlines reroute",
]
STORY_B = [
    "Copper hits a two-year high on grid spending",
    "Copper price at two-year high as grid spending grows",
]
