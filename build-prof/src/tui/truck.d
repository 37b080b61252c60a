build-prof/src/tui/truck.o: src/tui/truck.c include/facts.h \
 include/arena.h include/jws.h include/glmsg.h include/query.h \
 include/idno.h include/plate.h include/tui_truck.h include/tui_app.h \
 include/lane.h include/cache.h include/decision.h include/policy.h \
 include/dynbuf.h include/journal.h include/tui.h include/tui_keys.h
include/facts.h:
include/arena.h:
include/jws.h:
include/glmsg.h:
include/query.h:
include/idno.h:
include/plate.h:
include/tui_truck.h:
include/tui_app.h:
include/lane.h:
include/cache.h:
include/decision.h:
include/policy.h:
include/dynbuf.h:
include/journal.h:
include/tui.h:
include/tui_keys.h:
