build-dev/src/central/main.o: src/central/main.c include/central.h
include/central.h:
