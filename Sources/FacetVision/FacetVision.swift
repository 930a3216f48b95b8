// FacetVision module. See ../../../shared/DESIGN.md.
