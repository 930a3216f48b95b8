// FacetKernel module. See ../../../shared/DESIGN.md.
