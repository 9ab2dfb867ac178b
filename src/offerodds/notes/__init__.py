"""Free text to proposed signal values (DESIGN.md, "notes/").

``from_notes(text)`` reads a candidate's note about an interview and proposes the values it
supports for the catalogue's input columns, with the words behind each and the probability
that each is right (proposals under the shipped threshold are dropped). Nothing here reads a file
other than its own resources, writes anything or uses the network.
"""

from offerodds.notes.confidence import from_notes
from offerodds.notes.reader import NoteReading

__all__ = ["NoteReading", "from_notes"]
