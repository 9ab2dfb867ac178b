"""What an interview is made of: the signal catalogue, outcome labels, header matching,
validation of raw rows into the typed signal frame, and the features the scorers weigh.

The bottom of the house: it imports nothing else of offerodds. Its modules (imported by name,
so that reading the catalogue never loads scikit-learn): ``catalogue``, ``labels``,
``headers``, ``dates`` (ISO dates and date-times), ``validation``, ``encoding`` (plain numpy), ``features`` (``SignalFeatures``).
"""

__all__ = ["catalogue", "dates", "encoding", "features", "headers", "labels", "validation"]
