"""A small blind-format batch for the batch scoring and report tests."""

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
