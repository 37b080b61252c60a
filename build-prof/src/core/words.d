build-prof/src/core/words.o: src/core/words.c include/words.h
include/words.h:
