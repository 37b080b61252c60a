/* demo.c — the deterministic Pingdingshan demo data set.  The first vehicles
 * are scenarios, each made to produce one verdict or reason at checkpoint
 * PDS-01 (inbound); the rest are drawn from a seeded generator with the
 * proportions a county checkpoint sees.  Records are written with snprintf
 * into one buffer: every string in them is generated here, none needs
 * escaping, and it keeps 5 M vehicles fast. */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "assets.h"
#include "demo.h"
#include "gltime.h"
#include "idno.h"
#include "jws.h"
#include "policy.h"

#define H 3600
#define D (24 * H)
#define LINE 65536
#define TOKENS_UP_TO 20000	/* passes of the first vehicles carry their token */

struct county { const char *code, *name; };

static const struct county pds[] = {
	{ "410402", "新华区" }, { "410403", "卫东区" }, { "410404", "石龙区" },
	{ "410411", "湛河区" }, { "410421", "宝丰县" }, { "410422", "叶县" },
	{ "410423", "鲁山县" }, { "410425", "郏县" }, { "410481", "舞钢市" },
	{ "410482", "汝州市" },
};
#define NPDS 10

static const struct county away[] = {
	{ "410102", "郑州市中原区" }, { "410302", "洛阳市老城区" }, { "411002", "许昌市魏都区" },
	{ "420102", "武汉市江岸区" }, { "310115", "上海市浦东新区" }, { "110105", "北京市朝阳区" },
	{ "440305", "深圳市南山区" }, { "610113", "西安市雁塔区" }, { "320505", "苏州市虎丘区" },
	{ "130102", "石家庄市长安区" }, { "370102", "济南市历下区" }, { "340102", "合肥市瑶海区" },
};
#define NAWAY 12

static const struct { const char *id, *name, *region, *road; } checkpoints[] = {
	{ "PDS-01", "宁洛高速平顶山东站检查点", "410411", "G36 宁洛高速" },
	{ "PDS-02", "兰南高速叶县站检查点", "410422", "S83 兰南高速" },
	{ "PDS-03", "二广高速汝州站检查点", "410482", "G55 二广高速" },
	{ "PDS-04", "郏县 G311 入口检查点", "410425", "G311 国道" },
	{ "PDS-05", "鲁山 S88 站检查点", "410423", "S88 郑栾高速" },
	{ "PDS-06", "舞钢 S330 检查点", "410481", "S330 省道" },
};
#define NCP 6

static const char *const driver_regions[] = {
	"410402", "410403", "410404", "410411", "410421", "410422", "410425", "410481",
	"410482", "410102", "410302", "411002",
};
#define NDR 12
#define BIRTH_SPAN 12775	/* days: 1965 … 1999 */

static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";	/* 24: no I, O */
static const char alnum[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";	/* 34 */

static const char *const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹";
static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明",
	"超", "刚", "平", "辉", "鹏", "华", "建国", "建军", "红军", "志强", "海涛", "晓东",
	"永强", "国庆", "春生", "秋菊", "卫东", "新民", "德胜", "玉兰", "文博", "子豪",
};
static const char *const words[] = {
	"鸿运", "顺达", "恒通", "瑞丰", "金鹰", "华源", "联发", "宏昌", "永盛", "天成",
	"中原", "豫丰", "广汇", "安泰", "佳禾", "新兴", "尧山", "鹰城", "汇通", "宏达",
};
static const char *const sectors[] = { "industry", "commerce", "transport", "tourism", "project" };
static const char *const sector_suffix[] = {
	"实业有限公司", "商贸有限公司", "物流有限公司", "旅游发展有限公司", "建设工程有限公司",
};

/* Other provinces' buckets: province character and authority letter. */
static const char *const away_plates[] = {
	"鄂A", "陕A", "冀A", "鲁A", "苏E", "晋A", "皖A", "湘A", "粤B", "川A", "京A", "沪A",
	"鄂B", "陕C", "冀B", "鲁Q", "浙A", "赣A", "桂A", "辽A",
};
#define NAWAYP 20
static const char *const henan_letters = "ABCEFGHJKLMNPQRSU";	/* 豫 without D, I, O */

struct plan {
	char plate[32], trailer[32];
	const char *type, *relation;
	long ent;
	int pass;		/* 0 none, 1 valid, 2 expired, 3 revoked */
	int trip;		/* 0 none, 1 current, 2 arrived only */
	int registered;
	const char *origin, *origin_name;
	const char *via[2];
	int nvia;
	const char *route;	/* checkpoint id on the route, or NULL for none */
	int crew;		/* 0 none, 1 the driver, 2 driver and co-driver, 3 unknown person */
	int past_trip;		/* also an arrived trip a week ago */
	/* the driver */
	const char *health, *itinerary, *status, *nat_result;
	int64_t nat_age, landing_age;	/* seconds; -1: none */
	int whitelist;
	int intercept_vehicle, intercept_driver;
};

struct gen {
	demo_emit emit;
	void *arg;
	int64_t now;
	long n, nent, seq, trips;
	unsigned char sk[64], pk[32];
	char pub[64];
	char tbuf[6][40];
	int tslot;
	char line[LINE], token[1024];
	long bucket[1 + 17 + NAWAYP];	/* 豫D, 豫 other letters, away provinces */
	long nev, trailers;
	uint64_t rng;
};

static uint64_t next(struct gen *g)
{
	uint64_t z = (g->rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* An integer in [0, n). */
static long pick(struct gen *g, long n)
{
	return (long)(next(g) % (uint64_t)n);
}

/* A per-mille chance. */
static int chance(struct gen *g, int permille)
{
	return pick(g, 1000) < permille;
}

static const char *T(struct gen *g, int64_t t)
{
	char *b = g->tbuf[g->tslot++ % 6];
	gltime_format(t, GLTIME_CST, b, 40);
	return b;
}

static int out(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int out(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(g->line, sizeof g->line, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof g->line)
		return -1;
	return g->emit(g->line, (size_t)n, g->arg);
}

#define PUT(kind, ...) \
	out(g, "{\"seq\":%ld,\"kind\":\"" kind "\",\"op\":\"put\",\"key\":\"%s\",\"data\":{" \
	    __VA_ARGS__)

static void seed_key(const char *label, unsigned char pk[32], unsigned char sk[64])
{
	unsigned char seed[crypto_sign_SEEDBYTES];

	crypto_hash_sha256(seed, (const unsigned char *)label, strlen(label));
	crypto_sign_seed_keypair(pk, sk, seed);
}

/* The i-th character of a UTF-8 string of 3-byte characters. */
static void cjk(const char *s, long i, char out3[4])
{
	memcpy(out3, s + 3 * i, 3);
	out3[3] = '\0';
}

static void driver_id(long i, char out[IDNO_MAX])
{
	int y, m, d;
	long r = i % NDR, day = (i / NDR) % BIRTH_SPAN, seq = (i / (NDR * BIRTH_SPAN)) % 1000;

	gltime_civil_from_days(gltime_days_from_civil(1965, 1, 1) + day, &y, &m, &d);
	snprintf(out, IDNO_MAX, "%s%04d%02d%02d%03ld", driver_regions[r], y, m, d, seq);
	out[17] = idno_check_char(out);
	out[18] = '\0';
}

static void person_name(struct gen *g, char *out, size_t cap)
{
	char s[4];

	cjk(surnames, pick(g, (long)strlen(surnames) / 3), s);
	snprintf(out, cap, "%s%s", s, given[pick(g, sizeof given / sizeof given[0])]);
}

/* Encodes an ordinary 5-character serial from a counter; -1 when the bucket
 * is full (1 156 000 serials). */
static int serial5(long c, char out[6])
{
	if (c < 100000) {
		snprintf(out, 6, "%05ld", c);
	} else if ((c -= 100000) < 240000) {
		snprintf(out, 6, "%c%04ld", letters[c / 10000], c % 10000);
	} else if ((c -= 240000) < 240000) {
		snprintf(out, 6, "%04ld%c", c % 10000, letters[c / 10000]);
	} else if ((c -= 240000) < 576000) {
		snprintf(out, 6, "%c%c%03ld", letters[c / 24000], letters[c / 1000 % 24], c % 1000);
	} else {
		return -1;
	}
	return 0;
}

static void random_plate(struct gen *g, char out[32])
{
	int nb = (int)(sizeof g->bucket / sizeof g->bucket[0]);
	long r = pick(g, 1000);
	int b = r < 820 ? 0 : r < 880 ? 1 + (int)pick(g, 17) : 18 + (int)pick(g, NAWAYP);
	char s[6];

	for (int tries = 0; tries < nb; tries++, b = (b + 1) % nb) {
		if (serial5(g->bucket[b]++, s) != 0)
			continue;
		if (b == 0)
			snprintf(out, 32, "豫D%s", s);
		else if (b < 18)
			snprintf(out, 32, "豫%c%s", henan_letters[b - 1], s);
		else
			snprintf(out, 32, "%s%s", away_plates[b - 18], s);
		return;
	}
	snprintf(out, 32, "豫D00000");	/* unreachable below ~40 M vehicles */
}

/* Trailer plates: 豫D5000挂 onwards, then the other 豫 letters, then other
 * provinces.  (豫D2001挂 is the scenario tractor's.) */
static void trailer_plate(struct gen *g, char out[32])
{
	long t = 5000 + g->trailers++;

	if (t < 240000)
		snprintf(out, 32, "豫%c%04ld挂", letters[(3 + t / 10000) % 24], t % 10000);
	else
		snprintf(out, 32, "%.3s%c%04ld挂", away_plates[(t / 240000) % NAWAYP],
			 letters[(t / 10000) % 24], t % 10000);
}

static int emit_static(struct gen *g)
{
	const struct asset *pol = assets_get("assets/policy/default.json");
	unsigned char ppk[32], psk[64];
	char ppub[64], *jws;
	struct policy *p;
	int rc;

	jws_b64url(g->pk, 32, g->pub, sizeof g->pub);
	seed_key("greenlane demo policy key 2022", ppk, psk);
	jws_b64url(ppk, 32, ppub, sizeof ppub);
	if (PUT("key", "\"kid\":\"%s\",\"alg\":\"EdDSA\",\"pub\":\"%s\",\"use\":\"pass\"}}",
		g->seq++, DEMO_KID, DEMO_KID, g->pub) ||
	    PUT("key", "\"kid\":\"%s\",\"alg\":\"EdDSA\",\"pub\":\"%s\",\"use\":\"policy\"}}",
		g->seq++, DEMO_POLICY_KID, DEMO_POLICY_KID, ppub))
		return -1;
	p = pol != NULL ? policy_load(pol->data, pol->size, NULL) : NULL;
	if (p == NULL)
		return -1;
	jws = jws_sign(pol->data, pol->size, DEMO_POLICY_KID, psk);
	rc = jws == NULL ? -1 :
	     out(g, "{\"seq\":%ld,\"kind\":\"policy\",\"op\":\"put\",\"key\":\"%s\",\"data\":"
		 "{\"id\":\"%s\",\"version\":\"%s\",\"valid_from\":\"%s\",\"jws\":\"%s\"}}",
		 g->seq++, policy_id(p), policy_id(p), policy_version(p), "2022-05-01T00:00:00+08:00", jws);
	free(jws);
	policy_free(p);
	if (rc)
		return rc;
	for (int i = 0; i < NCP; i++)
		if (PUT("checkpoint",
			"\"id\":\"%s\",\"name\":\"%s\",\"region\":\"%s\",\"road\":\"%s\"}}", g->seq++,
			checkpoints[i].id, checkpoints[i].id, checkpoints[i].name, checkpoints[i].region,
			checkpoints[i].road))
			return -1;
	if (PUT("risk_area", "\"region\":\"420102\",\"level\":\"high\",\"since\":\"%s\"}}",
		g->seq++, "420102", T(g, g->now - 5 * D)) ||
	    PUT("risk_area", "\"region\":\"310115\",\"level\":\"medium\",\"since\":\"%s\"}}",
		g->seq++, "310115", T(g, g->now - 10 * D)) ||
	    PUT("risk_area", "\"region\":\"410302\",\"level\":\"medium\",\"since\":\"%s\"}}",
		g->seq++, "410302", T(g, g->now - 2 * D)) ||
	    PUT("risk_area",
		"\"region\":\"130102\",\"level\":\"medium\",\"since\":\"%s\",\"until\":\"%s\"}}",
		g->seq++, "130102", T(g, g->now - 20 * D), T(g, g->now - 6 * D)))
		return -1;
	return 0;
}

static int emit_enterprises(struct gen *g)
{
	static const struct { const char *name, *sector, *region; int wl; const char *status; } fixed[] = {
		{ "平顶山市鹰城物流有限公司", "transport", "410411", 1, "active" },
		{ "平顶山市尧山商贸有限公司", "commerce", "410402", 1, "active" },
		{ "叶县盐化实业有限公司", "industry", "410422", 1, "active" },
		{ "汝州市汝瓷文化旅游发展有限公司", "tourism", "410482", 1, "active" },
		{ "平顶山市湛河区城建建设工程有限公司", "project", "410411", 1, "active" },
		{ "郏县恒达运输有限公司", "transport", "410425", 0, "active" },
		{ "舞钢市钢铁物流有限公司", "industry", "410481", 1, "suspended" },
	};
	char id[16], name[160];

	for (long e = 0; e < g->nent; e++) {
		const char *sector, *region, *status = "active";
		int wl = 1;
		snprintf(id, sizeof id, "E%06ld", e + 1);
		g->rng = 0x5eed0000ULL + (uint64_t)e;
		if (e < (long)(sizeof fixed / sizeof fixed[0])) {
			snprintf(name, sizeof name, "%s", fixed[e].name);
			sector = fixed[e].sector;
			region = fixed[e].region;
			wl = fixed[e].wl;
			status = fixed[e].status;
		} else {
			int s = (int)pick(g, 5);
			const struct county *c = &pds[pick(g, NPDS)];
			sector = sectors[s];
			region = c->code;
			snprintf(name, sizeof name, "%s%s%s", c->name, words[pick(g, 20)], sector_suffix[s]);
			wl = !chance(g, 60);
			if (chance(g, 20))
				status = "suspended";
		}
		if (PUT("enterprise",
			"\"id\":\"%s\",\"name\":\"%s\",\"sector\":\"%s\",\"region\":\"%s\","
			"\"whitelisted\":%s,\"status\":\"%s\"}}",
			g->seq++, id, id, name, sector, region, wl ? "true" : "false", status))
			return -1;
	}
	return 0;
}

/* The plan for a scenario vehicle (i < 25) or a random one. */
static void make_plan(struct gen *g, long i, struct plan *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->plate, sizeof p->plate, "豫D%05ld", 10001 + i);
	p->type = "重型厢式货车";
	p->relation = "own";
	p->ent = 1;
	p->pass = 1;
	p->trip = 1;
	p->registered = 1;
	p->origin = "410102";
	p->origin_name = "郑州市中原区";
	p->route = "PDS-01";
	p->crew = 1;
	p->health = "green";
	p->itinerary = "normal";
	p->status = "none";
	p->nat_result = "negative";
	p->nat_age = 10 * H;
	p->landing_age = 3 * H;
	p->whitelist = 1;

	switch (i) {
	case 0: break;							/* green */
	case 1: p->pass = 0; break;					/* PASS_MISSING */
	case 2: p->nat_age = 60 * H; break;				/* NAT_EXPIRED */
	case 3: p->ent = 6; p->health = "yellow"; p->nat_result = "pending"; break;
	case 4: p->registered = 0; break;				/* NOT_REGISTERED */
	case 5: p->route = "PDS-03"; break;				/* ROUTE_DEVIATION */
	case 6: p->intercept_vehicle = 1; break;			/* INTERCEPT */
	case 7: p->status = "close_contact"; break;			/* POSITIVE_OR_CONTACT */
	case 8: p->health = "red"; p->whitelist = 0; break;		/* HEALTH_CODE_RED */
	case 9: p->health = "yellow"; break;				/* WHITELIST_PROTECTED */
	case 10: p->via[0] = "410302"; p->nvia = 1; break;		/* TRANSIT_THROUGH_RISK */
	case 11: p->origin = "420102"; p->origin_name = "武汉市江岸区"; break;
	case 12: p->ent = 7; break;					/* ENTERPRISE_SUSPENDED */
	case 13: p->pass = 2; break;					/* PASS_EXPIRED */
	case 14: p->pass = 3; break;					/* PASS_REVOKED */
	case 15: p->trip = 2; break;					/* TRIP_CLOSED */
	case 16: p->trip = 0; p->itinerary = "risk"; break;		/* RISK_ORIGIN_NO_TRIP */
	case 17: p->crew = 0; break;					/* CREW_UNKNOWN */
	case 18: p->crew = 3; break;					/* UNKNOWN_DRIVER */
	case 19: snprintf(p->plate, sizeof p->plate, "豫DD10020"); p->type = "小型新能源厢式货车"; break;
	case 20: p->type = "重型半挂牵引车"; snprintf(p->trailer, sizeof p->trailer, "豫D2001挂"); break;
	case 21: snprintf(p->plate, sizeof p->plate, "粤B10022"); p->itinerary = "risk";
		 p->relation = "contracted"; break;			/* transit, not origin */
	case 22: p->nat_result = "positive"; p->intercept_driver = 1; break;
	case 23: p->landing_age = -1; break;				/* LANDING_TEST_DUE */
	case 24: p->ent = 2; p->crew = 2; break;			/* two crew */
	default: {
		long r;
		random_plate(g, p->plate);
		p->ent = 1 + pick(g, g->nent);
		p->relation = chance(g, 700) ? "own" : "contracted";
		r = pick(g, 1000);
		if (r < 100) {
			p->type = "重型半挂牵引车";
			trailer_plate(g, p->trailer);
		} else if (r < 180 && g->nev < 680000) {
			long c = g->nev++;
			snprintf(p->plate, sizeof p->plate, "豫D%c%c%04ld", (c & 1) ? 'F' : 'D',
				 alnum[(c / 20000) % 34], (c / 2) % 10000);
			p->type = "小型新能源厢式货车";
		} else {
			static const char *const types[] = { "重型厢式货车", "中型厢式货车", "轻型厢式货车",
							     "冷藏车", "罐式货车", "重型仓栅式货车" };
			p->type = types[pick(g, 6)];
		}
		r = pick(g, 1000);
		p->pass = r < 800 ? 1 : r < 880 ? 2 : r < 900 ? 3 : 0;
		r = pick(g, 1000);
		/* Most trucks at a lane are on a registered trip. */
		p->trip = r < 880 ? 1 : r < 950 ? 2 : 0;
		p->past_trip = chance(g, 200);
		p->registered = chance(g, 960);
		if (chance(g, 550)) {
			const struct county *c = &pds[pick(g, NPDS)];
			p->origin = c->code;
			p->origin_name = c->name;
		} else {
			const struct county *c = &away[pick(g, NAWAY)];
			p->origin = c->code;
			p->origin_name = c->name;
		}
		if (chance(g, 150))
			p->via[p->nvia++] = away[pick(g, NAWAY)].code;
		if (chance(g, 50))
			p->via[p->nvia++] = "410302";
		r = pick(g, 1000);
		p->route = r < 750 ? "PDS-01" : r < 950 ? checkpoints[1 + pick(g, NCP - 1)].id : NULL;
		p->crew = chance(g, 100) ? 2 : 1;
		r = pick(g, 1000);
		p->health = r < 950 ? "green" : r < 990 ? "yellow" : "red";
		p->itinerary = chance(g, 30) ? "risk" : "normal";
		r = pick(g, 1000);
		p->status = r < 995 ? "none" : r < 998 ? "close_contact" : "secondary_contact";
		r = pick(g, 1000);
		if (r < 780) {
			p->nat_result = "negative";
			p->nat_age = (1 + pick(g, 40)) * H;
		} else if (r < 880) {
			p->nat_result = "negative";
			p->nat_age = (50 + pick(g, 40)) * H;
		} else if (r < 930) {
			p->nat_result = "pending";
			p->nat_age = pick(g, 10) * H;
		} else if (r < 997) {
			p->nat_result = NULL;
			p->nat_age = -1;
		} else {
			p->nat_result = "positive";
			p->nat_age = (1 + pick(g, 30)) * H;
			p->intercept_driver = 1;
		}
		p->landing_age = chance(g, 450) ? (1 + pick(g, 20)) * H : -1;
		p->whitelist = chance(g, 750);
		p->intercept_vehicle = chance(g, 2);
		break;
	}
	}
}

static int emit_driver(struct gen *g, const struct plan *p, const char *id)
{
	char name[32], extra[160] = "", landing[80] = "";

	person_name(g, name, sizeof name);
	if (p->nat_result != NULL)
		snprintf(extra, sizeof extra, ",\"nat_at\":\"%s\",\"nat_result\":\"%s\"",
			 T(g, g->now - p->nat_age), p->nat_result);
	if (p->landing_age >= 0)
		snprintf(landing, sizeof landing, ",\"landing_test_at\":\"%s\"", T(g, g->now - p->landing_age));
	return PUT("driver",
		   "\"id_no\":\"%s\",\"name\":\"%s\",\"phone\":\"1%02ld%08ld\",\"transport_whitelist\":%s,"
		   "\"health_code\":\"%s\",\"itinerary\":\"%s\"%s,\"status\":\"%s\"%s}}",
		   g->seq++, id, id, name, 30 + pick(g, 60), pick(g, 100000000),
		   p->whitelist ? "true" : "false", p->health, p->itinerary, extra, p->status, landing);
}

static int emit_trip(struct gen *g, const struct plan *p, const char *crew, const char *status,
		     int64_t depart, const char *dest)
{
	char id[16], via[64] = "", route[64] = "";

	snprintf(id, sizeof id, "T%09ld", ++g->trips);
	for (int k = 0; k < p->nvia; k++)
		snprintf(via + strlen(via), sizeof via - strlen(via), "%s\"%s\"", k ? "," : "", p->via[k]);
	if (p->route != NULL)
		snprintf(route, sizeof route, "\"%s\"", p->route);
	return PUT("trip",
		   "\"id\":\"%s\",\"plate\":\"%s\",\"crew\":[%s],\"origin\":{\"region\":\"%s\",\"place\":\"%s\"},"
		   "\"destination\":{\"region\":\"%s\",\"enterprise_id\":\"E%06ld\",\"reception_point\":\"%ld号卸货区\"},"
		   "\"via\":[%s],\"route\":[%s],\"depart_at\":\"%s\",\"eta\":\"%s\",\"status\":\"%s\",\"registered\":%s}}",
		   g->seq++, id, id, p->plate, crew, p->origin, p->origin_name, dest, p->ent,
		   1 + pick(g, 6), via, route, T(g, depart), T(g, depart + (4 + pick(g, 10)) * H), status,
		   p->registered ? "true" : "false");
}

static int emit_pass(struct gen *g, long i, const struct plan *p)
{
	char pass_no[16], payload[512], tokfield[1100] = "";
	int64_t from = g->now - 10 * D, to = g->now + 20 * D;
	const char *dest = pds[i % NPDS].code;

	if (p->pass == 2) {
		from = g->now - 32 * D;
		to = g->now - 2 * D;
	}
	snprintf(pass_no, sizeof pass_no, "%s%06ld", pds[(i / 1000000) % NPDS].code, i % 1000000);
	if (i < TOKENS_UP_TO) {
		int n = snprintf(payload, sizeof payload,
				 "{\"pass_no\":\"%s\",\"plate\":\"%s\",\"origin_region\":\"%s\","
				 "\"dest_region\":\"%s\",\"valid_from\":\"%s\",\"valid_to\":\"%s\"}",
				 pass_no, p->plate, p->origin, dest, T(g, from), T(g, to));
		char *tok = jws_sign(payload, (size_t)n, DEMO_KID, g->sk);
		if (tok == NULL)
			return -1;
		snprintf(tokfield, sizeof tokfield, ",\"token\":\"%s\"", tok);
		free(tok);
	}
	return PUT("pass",
		   "\"pass_no\":\"%s\",\"plate\":\"%s\",\"enterprise_id\":\"E%06ld\",\"origin_region\":\"%s\","
		   "\"dest_region\":\"%s\",\"valid_from\":\"%s\",\"valid_to\":\"%s\",\"revoked\":%s%s}}",
		   g->seq++, pass_no, pass_no, p->plate, p->ent, p->origin, dest, T(g, from), T(g, to),
		   p->pass == 3 ? "true" : "false", tokfield);
}

static int emit_vehicle(struct gen *g, long i)
{
	struct plan p;
	char id[IDNO_MAX], co[IDNO_MAX], crew[64] = "", trailer[64] = "", iid[16];
	const char *dest = pds[i % NPDS].code;

	g->rng = 0xC0FFEE00000000ULL + (uint64_t)i * 0x100000001B3ULL;
	make_plan(g, i, &p);
	driver_id(i, id);
	driver_id(i + 1 < g->n ? i + 1 : 0, co);
	if (p.trailer[0] != '\0')
		snprintf(trailer, sizeof trailer, ",\"trailer_plate\":\"%s\"", p.trailer);
	if (PUT("vehicle", "\"plate\":\"%s\",\"enterprise_id\":\"E%06ld\",\"relation\":\"%s\","
		"\"type\":\"%s\"%s}}", g->seq++, p.plate, p.plate, p.ent, p.relation, p.type, trailer))
		return -1;
	if (emit_driver(g, &p, id))
		return -1;
	if (p.pass != 0 && emit_pass(g, i, &p))
		return -1;
	if (p.crew == 1)
		snprintf(crew, sizeof crew, "\"%s\"", id);
	else if (p.crew == 2)
		snprintf(crew, sizeof crew, "\"%s\",\"%s\"", id, co);
	else if (p.crew == 3)
		snprintf(crew, sizeof crew, "\"130102198001019990\"");
	if (p.crew == 3)
		crew[18] = idno_check_char(crew + 1);	/* a valid ID no driver record has */
	if (p.past_trip || p.trip == 2) {
		int64_t dep = g->now - (p.trip == 2 ? 30 : 7 * 24) * H;
		if (emit_trip(g, &p, crew, p.trip == 2 ? "arrived" : "closed", dep, dest))
			return -1;
	}
	if (p.trip == 1 &&
	    emit_trip(g, &p, crew, chance(g, 850) ? "en_route" : "planned", g->now - (1 + pick(g, 12)) * H, dest))
		return -1;
	snprintf(iid, sizeof iid, "IV%08ld", i);
	if (p.intercept_vehicle &&
	    PUT("intercept", "\"id\":\"%s\",\"target\":\"plate\",\"value\":\"%s\","
		"\"reason\":\"协查通报：车辆涉疫需拦截\",\"since\":\"%s\",\"cleared\":false}}",
		g->seq++, iid, iid, p.plate, T(g, g->now - 20 * H)))
		return -1;
	iid[1] = 'D';
	if (p.intercept_driver &&
	    PUT("intercept", "\"id\":\"%s\",\"target\":\"id_no\",\"value\":\"%s\","
		"\"reason\":\"核酸检测阳性\",\"since\":\"%s\",\"cleared\":false}}",
		g->seq++, iid, iid, id, T(g, g->now - 2 * H)))
		return -1;
	return 0;
}

int demo_generate(long vehicles, int64_t now, demo_emit emit, void *arg)
{
	struct gen *g = calloc(1, sizeof *g);
	int rc = -1;

	if (g == NULL || sodium_init() < 0)
		goto out;
	if (vehicles < 40)
		vehicles = 40;
	g->emit = emit;
	g->arg = arg;
	g->now = now;
	g->n = vehicles;
	g->nent = vehicles / 40 > 20 ? vehicles / 40 : 20;
	g->bucket[0] = 20000;	/* 豫D10001 … 豫D10025 are the scenarios' */
	seed_key("greenlane demo pass key 2022", g->pk, g->sk);
	rc = emit_static(g);
	if (rc == 0)
		rc = emit_enterprises(g);
	for (long i = 0; rc == 0 && i < vehicles; i++)
		rc = emit_vehicle(g, i);
	if (rc == 0)
		rc = out(g, "{\"cursor\":\"demo-%ld-%lld\",\"as_of\":\"%s\",\"checkpoint\":\"%s\"}", vehicles,
			 (long long)now, T(g, now), DEMO_CHECKPOINT);
out:
	free(g);
	return rc;
}

char *demo_forged_token(int64_t now)
{
	unsigned char pk[32], sk[64];
	char payload[512], a[40], b[40];
	int n;

	seed_key("not the demo key: a forger's", pk, sk);
	gltime_format(now - 2 * D, GLTIME_CST, a, sizeof a);
	gltime_format(now + 28 * D, GLTIME_CST, b, sizeof b);
	n = snprintf(payload, sizeof payload,
		     "{\"pass_no\":\"410402999999\",\"plate\":\"豫D10001\",\"origin_region\":\"410102\","
		     "\"dest_region\":\"410402\",\"valid_from\":\"%s\",\"valid_to\":\"%s\"}", a, b);
	return jws_sign(payload, (size_t)n, DEMO_KID, sk);
}
