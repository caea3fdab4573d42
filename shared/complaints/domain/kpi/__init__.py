"""The figures of the monthly report and the fiscal-year evaluation (SPEC §8), pure.

- ``facts``   what one history event adds to which figure, of which scope, in which month
- ``figures`` a month's figures from its counters: per agency, the call centre, the breakdowns,
              totals, rates; and the fiscal year's sums, scores and ranks
"""
