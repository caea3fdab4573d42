"""The DynamoDB adapters: one table (``docs/data-model.md`` lists every access pattern).

- ``codec``    items ⇄ domain objects, keys, index keys, the shard hash, query paging
- ``cases``    cases and their history (one transaction per change), the due index
- ``listing``  ``GET /complaints``: which index serves which filters, and the cursor
- ``outbox``   notices owed by history events: claim, then record
- ``holidays`` special holidays
- ``audits``   draws, audits and each agency's month
"""
