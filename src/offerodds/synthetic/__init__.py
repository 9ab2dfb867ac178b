"""Synthetic interviews with a known ground truth, for examples, tests and benchmarks.

There is no public data set that pairs what a candidate observed in an interview with whether
an offer followed, so offerodds is developed and benchmarked on interviews drawn here. The
generator is seeded and vectorised (a million rows in a few seconds; how an interview is drawn:
:mod:`offerodds.synthetic.generator`), and its truth is written down
(:mod:`offerodds.synthetic.truth`) so benchmarks can compare any scorer with the best attainable
prediction. It is one world among those the benchmarks judge offerodds on, not the judge.


Examples
--------
>>> from offerodds.synthetic import generate, typed_frame, true_probability
>>> df = generate(1000, seed=3)
>>> bool(((df["true_probability"] - true_probability(typed_frame(df))).abs() < 1e-12).all())
True
"""

from offerodds.synthetic import generator, truth
from offerodds.synthetic.generator import generate  # noqa: F401 - listed in generator.__all__
from offerodds.synthetic.truth import *  # noqa: F403 - the truth's public names, as listed there

__all__ = [*generator.__all__, *truth.__all__]
