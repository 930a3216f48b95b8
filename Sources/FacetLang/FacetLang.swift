// FacetLang module. See ../../../shared/DESIGN.md.
