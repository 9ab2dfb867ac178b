"""Free text to proposed signal values (DESIGN.md, "notes/").

``from_notes(text)`` reads a candidate's note about an interview and proposes the values it
supports for the catalogue's input columns, with the words behind each. Nothing here reads a
file, writes anything or uses the network.
"""

from offerodds.notes.reader import NoteReading, from_notes

__all__ = ["NoteReading", "from_notes"]
