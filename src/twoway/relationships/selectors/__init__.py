"""Reads for everything a pair does together, one module per area.

The privacy rules live here, shared by the pages and the API: a journal entry
is read by its author only; a pulse by its author and the program's
coordinators; everything else in a pair's space by the two partners.
"""
