build-prof/src/core/csv.o: src/core/csv.c include/csv.h
include/csv.h:
