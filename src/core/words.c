/* words.c — labels for the wire format's enumerated values. */
#include <stddef.h>
#include <string.h>
#include "words.h"

static const struct {
	const char *key, *zh, *en;
} words[] = {
	{ "green", "绿码", "green code" }, { "yellow", "黄码", "yellow code" }, { "red", "红码", "red code" },
	{ "negative", "阴性", "negative" }, { "positive", "阳性", "positive" }, { "pending", "待出结果", "pending" },
	{ "planned", "计划", "planned" }, { "en_route", "在途", "en route" }, { "arrived", "已到达", "arrived" },
	{ "closed", "已关闭", "closed" }, { "own", "自有", "own" }, { "contracted", "合同", "contracted" },
	{ "active", "正常", "active" }, { "suspended", "已熔断", "suspended" }, { "industry", "工业", "industry" },
	{ "commerce", "商贸", "commerce" }, { "transport", "运输", "transport" }, { "tourism", "文旅", "tourism" },
	{ "project", "项目", "project" }, { "close_contact", "密接", "close contact" },
	{ "secondary_contact", "次密接", "secondary contact" }, { "normal", "正常", "normal" },
	{ "risk", "带星", "risk" },
};

const char *words_label(const char *v, int zh)
{
	if (v == NULL)
		return "-";
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(words[i].key, v) == 0)
			return zh ? words[i].zh : words[i].en;
	return v;
}
