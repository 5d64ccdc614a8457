"""The actor layer: who the article is about, typed, resolved within the article, with roles.

`detect` finds and types mention candidates (NER corrected by rules in
``newsgraph/data/actors``), `coref` resolves them to entities and derives
member_of / leader_of. The `entities` extraction component runs both.
"""
