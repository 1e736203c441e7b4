"""The joint picture (lägesbild): the handbook's first two steps — collect the facts and
draw where and when problems arise — from what Trygg already holds. Places are where the
three kinds of record meet: safety-walk findings, quick reports and measures.

- ``periods``: the period looked at and the one it is compared with (like with like);
- ``place``: everything at one place and around it;
- ``picture``: a municipality's places ranked, when quick reports happen, each figure
  against the period before;
- ``layout``: where numbered marks go on a map drawn without tiles (terminal and SVG).
"""
