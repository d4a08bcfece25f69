"""Small samples for the safety tests: a blind-format batch, labelled training messages."""

from bot.safety.examples import Example

BATCH = {
    "emergency": [
        {"text": "I can't feel my bum", "category": "saddle"},
        {"text": "can't hold my water", "category": "bladder"},
    ],
    "urgent": [{"text": "I have a fever and back pain", "category": "fever"}],
    "soon": [{"text": "I've lost a stone without trying", "category": "weight"}],
    "traps": [
        {"text": "no numbness down there", "tier": "none", "why": "negation"},
        {"text": "I have no feeling in my bottom", "tier": "emergency", "why": "negative wording"},
    ],
    "benign": [{"text": "is heat or ice better?"}, {"text": "my legs feel funny"}],
    "conversations": [
        {
            "turns": ["been having accidents", "with my bladder I mean"],
            "tier": "emergency",
            "clear_at": 2,
        },
        {"turns": ["hi", "my back is stiff"], "tier": "none", "clear_at": None},
    ],
}

# Labelled messages for training a tiny second opinion.
SMALL = [
    Example("I can't feel my bum", "saddle"),
    Example("numb between my legs", "saddle"),
    Example("I wet myself today", "continence"),
    Example("leaking wee since my back went", "continence"),
    Example("I want to end it all", "crisis"),
    Example("nobody would miss me", "crisis"),
    Example("is heat or ice better", "none"),
    Example("my back is stiff after gardening", "none"),
    Example("how long should I hold a stretch", "none"),
    Example("thanks for the help", "none"),
]
