// FacetReport module. See ../../../shared/DESIGN.md.
