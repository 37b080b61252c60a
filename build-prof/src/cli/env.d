build-prof/src/cli/env.o: src/cli/env.c include/cli.h include/glmsg.h \
 include/jws.h include/journal.h include/gltime.h include/tui.h
include/cli.h:
include/glmsg.h:
include/jws.h:
include/journal.h:
include/gltime.h:
include/tui.h:
