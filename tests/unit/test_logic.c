/* The policy expression language: each operator, scopes, and that errors
 * are errors (a rule reads them as false) rather than crashes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "logic.h"

static const char *facts_json =
	"{\"now\":1000,\"n\":5,\"s\":\"abc\",\"t\":true,\"z\":0,\"nul\":null,\"empty\":[],"
	"\"arr\":[1,2,3],\"o\":{\"a\":{\"b\":7}},\"params\":{\"h\":2},"
	"\"crew\":[{\"id\":\"x\",\"nat_at\":900},{\"id\":\"y\",\"nat_at\":null}]}";

static enum logic_result run(const char *expr)
{
	cJSON *e = cJSON_Parse(expr), *f = cJSON_Parse(facts_json);
	gl_msg err;
	logic *l;
	struct logic_scope sc = { f, NULL };
	enum logic_result r;

	assert_non_null(e);
	l = logic_compile(e, NULL, &err);
	if (l == NULL)
		fail_msg("%s: %s", expr, err.en);
	r = logic_test(l, &sc);
	logic_free(l);
	cJSON_Delete(e);
	cJSON_Delete(f);
	return r;
}

static void T_(const char *e) { if (run(e) != LOGIC_TRUE) fail_msg("not true: %s", e); }
static void F_(const char *e) { if (run(e) != LOGIC_FALSE) fail_msg("not false: %s", e); }
static void E_(const char *e) { if (run(e) != LOGIC_ERROR) fail_msg("not an error: %s", e); }

static void no_compile(const char *expr)
{
	cJSON *e = cJSON_Parse(expr);
	gl_msg err;
	logic *l = logic_compile(e, NULL, &err);

	if (l != NULL)
		fail_msg("compiled: %s", expr);
	assert_true(err.en[0] != '\0');
	cJSON_Delete(e);
}

static void hostile(void **state)
{
	char deep[2048];
	size_t o = 0;

	(void)state;
	no_compile("{\"nope\":1}");
	no_compile("{\"==\":[1]}");
	no_compile("{\"==\":[1,2,3]}");
	no_compile("{\"var\":1}");
	no_compile("{\"var\":\"a..b\"}");
	no_compile("{\"def\":\"missing\"}");
	no_compile("{\"a\":1,\"b\":2}");
	no_compile("{}");
	no_compile("[{\"var\":\"n\"}]");
	for (int i = 0; i < 70; i++)
		o += (size_t)snprintf(deep + o, sizeof deep - o, "{\"!\":");
	o += (size_t)snprintf(deep + o, sizeof deep - o, "true");
	for (int i = 0; i < 70; i++)
		o += (size_t)snprintf(deep + o, sizeof deep - o, "}");
	no_compile(deep);
	assert_null(logic_compile(NULL, NULL, NULL));
	/* Type errors and missing operands are errors, never truths. */
	E_("{\"<\":[{\"var\":\"nul\"},1]}");
	E_("{\"<\":[\"a\",1]}");
	E_("{\"+\":[1,\"a\"]}");
	E_("{\"/\":[1,0]}");
	E_("{\"%\":[1,0]}");
	E_("{\"!\":{\"<\":[{\"var\":\"missing\"},1]}}");
	E_("{\"in\":[1,5]}");
	E_("{\"some\":[5,true]}");
	E_("{\"age\":\"x\"}");
	E_("{\"*\":[1e308,1e308]}");
}

static void operators(void **state)
{
	(void)state;
	T_("true"); F_("false"); F_("null"); F_("0"); T_("1"); F_("\"\""); T_("\"a\"");
	F_("[]"); T_("[1]");
	T_("{\"==\":[{\"var\":\"n\"},5]}");
	F_("{\"==\":[{\"var\":\"n\"},\"5\"]}");		/* strict: no coercion */
	T_("{\"!=\":[{\"var\":\"s\"},\"abd\"]}");
	T_("{\"==\":[{\"var\":\"nul\"},null]}");
	T_("{\"==\":[{\"var\":\"missing\"},null]}");
	T_("{\"!=\":[{\"var\":\"nul\"},\"none\"]}");
	T_("{\"<\":[1,{\"var\":\"n\"}]}");
	T_("{\"<\":[1,{\"var\":\"n\"},6]}");
	F_("{\"<\":[1,{\"var\":\"n\"},5]}");
	T_("{\"<=\":[1,5,5]}");
	T_("{\">\":[{\"var\":\"n\"},4]}");
	T_("{\">=\":[{\"var\":\"n\"},5]}");
	T_("{\"and\":[true,1,\"x\"]}");
	F_("{\"and\":[true,0,{\"<\":[\"bad\",1]}]}");	/* short-circuits before the error */
	T_("{\"or\":[false,0,{\"var\":\"t\"}]}");
	T_("{\"!\":{\"var\":\"z\"}}");
	T_("{\"!!\":{\"var\":\"arr\"}}");
	F_("{\"!!\":{\"var\":\"empty\"}}");
	T_("{\"if\":[false,false,true,true,false]}");
	T_("{\"if\":[false,false,true]}");
	F_("{\"if\":[false,true]}");
	T_("{\"in\":[2,{\"var\":\"arr\"}]}");
	F_("{\"in\":[4,{\"var\":\"arr\"}]}");
	T_("{\"in\":[\"b\",{\"var\":\"s\"}]}");
	F_("{\"in\":[\"x\",{\"var\":\"nul\"}]}");
	T_("{\"in\":[\"b\",[\"a\",\"b\"]]}");
	T_("{\"==\":[{\"+\":[1,2,3]},6]}");
	T_("{\"==\":[{\"-\":[10,4]},6]}");
	T_("{\"==\":[{\"-\":5},-5]}");
	T_("{\"==\":[{\"*\":[2,3]},6]}");
	T_("{\"==\":[{\"/\":[6,4]},1.5]}");
	T_("{\"==\":[{\"%\":[7,4]},3]}");
	T_("{\"==\":[{\"min\":[3,1,2]},1]}");
	T_("{\"==\":[{\"max\":[3,1,2]},3]}");
	T_("{\"==\":[{\"count\":{\"var\":\"arr\"}},3]}");
	T_("{\"==\":[{\"count\":{\"var\":\"nul\"}},0]}");
	T_("{\"==\":[{\"var\":\"o.a.b\"},7]}");
	T_("{\"==\":[{\"var\":\"arr.1\"},2]}");
	T_("{\"==\":[{\"var\":[\"missing\",9]},9]}");
	T_("{\"==\":[{\"hours\":2},7200]}");
	T_("{\"==\":[{\"days\":1},86400]}");
	T_("{\"==\":[{\"age\":400},600]}");
	T_("{\"within\":[900,100]}");
	F_("{\"within\":[899,100]}");
	F_("{\"within\":[1001,100]}");		/* the future is not within */
	F_("{\"within\":[null,100]}");
}

static void quantifiers(void **state)
{
	(void)state;
	T_("{\"some\":[{\"var\":\"arr\"},{\">\":[{\"var\":\"\"},2]}]}");
	F_("{\"some\":[{\"var\":\"arr\"},{\">\":[{\"var\":\"\"},3]}]}");
	T_("{\"all\":[{\"var\":\"arr\"},{\">\":[{\"var\":\"\"},0]}]}");
	F_("{\"all\":[{\"var\":\"empty\"},true]}");
	T_("{\"none\":[{\"var\":\"arr\"},{\">\":[{\"var\":\"\"},3]}]}");
	T_("{\"none\":[{\"var\":\"nul\"},true]}");
	F_("{\"some\":[{\"var\":\"nul\"},true]}");
	/* Inside, element fields first, then outer scopes (params, now). */
	T_("{\"some\":[{\"var\":\"crew\"},{\"within\":[{\"var\":\"nat_at\"},{\"hours\":{\"var\":\"params.h\"}}]}]}");
	F_("{\"all\":[{\"var\":\"crew\"},{\"within\":[{\"var\":\"nat_at\"},{\"hours\":{\"var\":\"params.h\"}}]}]}");
	T_("{\"some\":[{\"var\":\"crew\"},{\"==\":[{\"var\":\"id\"},\"y\"]}]}");
}

static void defs(void **state)
{
	cJSON *d = cJSON_Parse("{\">\":[{\"var\":\"n\"},3]}");
	cJSON *e = cJSON_Parse("{\"and\":[{\"def\":\"big\"},true]}"), *f = cJSON_Parse(facts_json);
	logic *dl = logic_compile(d, NULL, NULL), *l;
	const char *names[] = { "big" };
	logic *exprs[] = { dl };
	struct logic_defs ld = { names, exprs, 1 };
	struct logic_scope sc = { f, NULL };
	double num;

	(void)state;
	l = logic_compile(e, &ld, NULL);
	assert_non_null(l);
	assert_int_equal(logic_test(l, &sc), LOGIC_TRUE);
	assert_int_equal(logic_number(l, &sc, &num), -1);
	logic_free(l);
	logic_free(dl);
	cJSON_Delete(d);
	cJSON_Delete(e);
	cJSON_Delete(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile), cmocka_unit_test(operators), cmocka_unit_test(quantifiers),
		cmocka_unit_test(defs),
	};
	return cmocka_run_group_tests_name("logic", tests, NULL, NULL);
}
