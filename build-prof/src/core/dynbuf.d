build-prof/src/core/dynbuf.o: src/core/dynbuf.c include/dynbuf.h
include/dynbuf.h:
