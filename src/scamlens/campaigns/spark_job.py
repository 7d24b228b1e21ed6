"""Campaign discovery on Apache Spark, for hundreds of millions of messages.

Run it with `scamlens spark campaigns INPUT --output DIR [--master local[2]]`, or submit it:

    JOB=$(python -c 'import scamlens.campaigns.spark_job as m; print(m.__file__)')
    spark-submit --master yarn "$JOB" s3://bucket/messages/ --output s3://bucket/campaigns/

Every step calls the same Python functions as the local path (prep, sketch, engine, pipeline,
rings), inside mapInPandas / applyInPandas, so on the same input it gives the same clusters
and the same campaigns document. How the work is split:

1. distinct texts: groupBy(text) -> count. Scripts are massively duplicated, so this shrinks
   the data first; every later step works on distinct texts or documents.
2. prepare (mapInPandas): fold, mask, stream, skeleton, indicators, per distinct text.
3. documents: groupBy(stream, skeleton) -> weight, best raw text; key = engine.doc_key.
4. n-gram document frequencies: per-partition bincounts of the 2^22-bucket sketch, summed
   with groupBy(bucket); only the ubiquitous buckets (few) come back to the driver and are
   broadcast to the signing step.
5. signatures and LSH band keys (mapInPandas), one row per document.
6. candidates: posexplode(band keys) -> groupBy(band, bucket) -> the bucket's pivot (best
   rank: -weight, key) -> pairs (pivot, member). Linear in bucket size, like the local path.
7. verification (mapInPandas over the pairs joined with both documents' features):
   engine.score_pairs, and the threshold decision in numpy (float32, as locally).
8. connected components of the verified pairs: collected to the driver and labelled with
   scipy when there are at most `collect_limit` of them (a few hundred MB of longs), else by
   iterative min-label propagation in Spark.
9. guard (groupBy(component).applyInPandas): engine.guard on the component's documents in
   rank order, plus variants and languages (pipeline.cluster_info).
10. messages -> script (joins on text and document key); per-script and per-indicator
   aggregates (ids, accounts, conversations, platforms, first/last seen; indicators of the
   texts and of the distinct hidden link targets, one count per message) come back to the
   driver, which assembles campaigns with rings.build_campaigns, exactly as locally.

Outputs in DIR: campaigns.json (the documented schema) and assignments/ (Parquet: message id
-> script id). Differences from the local path: records must carry an id (no line numbers in
a distributed read), extra (account, type, value) indicators are not taken, and only flat
records are read (folders of chat exports are the local path's). Their `links` field (hidden
link targets) is read as locally: one extraction per distinct link, merged per message.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from scamlens.campaigns import engine, ioc, pipeline, sketch
from scamlens.campaigns.api import CampaignReport, report_dict
from scamlens.campaigns.params import Params
from scamlens.campaigns.prep import prepare_many
from scamlens.campaigns.records import FieldMap, parse_links
from scamlens.campaigns.rings import IndicatorSummary, RingParams, StageFn, Variant, build_campaigns
from scamlens.errors import InputError

PandasIter = Iterator[pd.DataFrame]


def session(master: str | None = None, app: str = "scamlens-campaigns") -> SparkSession:
    """A SparkSession whose Python workers use this interpreter (and its packages)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    return (
        builder.config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "true")
        .getOrCreate()
    )


def read_messages(spark: SparkSession, path: str, fields: FieldMap) -> DataFrame:
    """Records as (id, account, text, conversation, timestamp, platform), all strings, and
    `links` (array of strings: the record's hidden link targets, checked as the local path
    checks them, records.parse_links)."""
    names = [fields.id, fields.account, fields.text, fields.conversation, fields.timestamp]
    names.append(fields.platform)
    lowered = path.lower().rstrip("/")
    if lowered.endswith((".parquet", ".pq")) or _folder_of(path, (".parquet",)):
        df = spark.read.parquet(path)
    elif lowered.endswith((".csv", ".tsv")) or _folder_of(path, (".csv",)):
        df = spark.read.csv(
            path,
            header=True,
            multiLine=True,
            escape='"',
            sep="\t" if lowered.endswith(".tsv") else ",",
        )
    else:
        # A JSON array read as a string keeps its JSON text; _links_column parses it.
        cols = dict.fromkeys([*names, fields.links])
        schema = T.StructType([T.StructField(n, T.StringType()) for n in cols])
        df = spark.read.schema(schema).json(path)
    out = []
    for alias, name in zip(
        ("id", "account", "text", "conversation", "timestamp", "platform"), names, strict=True
    ):
        col = (
            F.col(f"`{name}`").cast("string") if name in df.columns else F.lit(None).cast("string")
        )
        out.append(col.alias(alias))
    out.append(_links_column(df, fields.links))
    msgs = df.select(*out).withColumn("text", F.coalesce(F.col("text"), F.lit("")))
    bad = msgs.filter(F.col("id").isNull() | F.col("account").isNull() | (F.col("account") == ""))
    if bad.limit(1).count():
        raise InputError(
            f"records without {fields.id!r} or {fields.account!r} (both needed on Spark)", path
        )
    wrong = msgs.filter(F.col("links.error").isNotNull()).select("id", "links.error").first()
    if wrong is not None:
        raise InputError(f"record {wrong['id']!r}: field {fields.links!r}: {wrong['error']}", path)
    return msgs.withColumn("links", F.col("links.links"))


_LINKS = T.StructType(
    [
        T.StructField("links", T.ArrayType(T.StringType()), nullable=False),
        T.StructField("error", T.StringType()),
    ]
)


def _links_column(df: DataFrame, name: str) -> Any:
    """`links` as (links, error): the parsed targets, or why the value is refused."""
    if name not in df.columns:
        none = F.array().cast("array<string>").alias("links")
        return F.struct(none, F.lit(None).cast("string").alias("error")).alias("links")
    col = F.col(f"`{name}`")
    if isinstance(df.schema[name].dataType, T.ArrayType):
        col = F.to_json(col)  # one parser for every input: JSON text of the list
    # A plain lambda: pyspark reads a function's type hints as a pandas UDF's, and warns.
    parse = F.udf(lambda v: _parse_links_text(v), _LINKS)
    return parse(col.cast("string")).alias("links")


def _parse_links_text(value: str | None) -> tuple[list[str], str | None]:
    """(links, None), or ([], the reason) for a value records.parse_links refuses. A value
    starting with "[" is a JSON list (from JSON or Parquet), anything else whitespace-separated
    links (CSV)."""
    raw: Any = value
    if value is not None and value.lstrip().startswith("["):
        try:
            raw = json.loads(value)
        except ValueError:
            return [], "is not a JSON list of web links"
    try:
        return list(parse_links(raw)), None
    except ValueError as exc:
        return [], str(exc)


def _folder_of(path: str, suffixes: tuple[str, ...]) -> bool:
    p = Path(path)
    return p.is_dir() and any(f.suffix.lower() in suffixes for f in p.iterdir())


def _prepare(source: ioc.Source | ioc.IndicatorFn) -> Callable[[PandasIter], PandasIter]:
    def run(batches: PandasIter) -> PandasIter:
        fn = ioc.resolve(source)
        for pdf in batches:
            texts = pdf["text"].tolist()
            batch = prepare_many(texts)
            inds = ioc.for_texts(texts, batch.found, fn)
            yield pd.DataFrame(
                {
                    "text": texts,
                    "n": pdf["n"].astype("int64"),
                    "stream": batch.streams,
                    "skeleton": batch.skeletons,
                    "zh": batch.zh,
                    "weight_len": batch.weight_len,
                    **_ind_columns(inds),
                }
            )

    return run


_PREP = (
    "text string, n long, stream string, skeleton string, zh boolean, weight_len long, "
    "ind_types array<string>, ind_values array<string>"
)


def _keys(batches: PandasIter) -> PandasIter:
    for pdf in batches:
        pdf["key"] = [
            engine.doc_key(a, b) for a, b in zip(pdf["stream"], pdf["skeleton"], strict=True)
        ]
        yield pdf


def _df_counts(params: Params, channel: str) -> Callable[[PandasIter], PandasIter]:
    def run(batches: PandasIter) -> PandasIter:
        counts = np.zeros(1 << sketch.DF_BITS, dtype=np.int64)
        for pdf in batches:
            if channel == "char":
                zh = pdf["zh"].to_numpy(dtype=np.bool_)
                counts += engine.char_df(pdf["stream"].tolist(), zh, params)
            else:
                counts += engine.skel_df(pdf["skeleton"].tolist(), params)
        nz = np.flatnonzero(counts)
        yield pd.DataFrame({"bucket": nz.astype(np.int64), "n": counts[nz]})

    return run


def _flags(buckets: list[int]) -> engine.Bool:
    flags = np.zeros(1 << sketch.DF_BITS, dtype=np.bool_)
    flags[np.asarray(buckets, dtype=np.int64)] = True
    return flags


def _sign(params: Params, ubiq_c: Any, ubiq_s: Any) -> Callable[[PandasIter], PandasIter]:
    def run(batches: PandasIter) -> PandasIter:
        uc, us = _flags(ubiq_c.value), _flags(ubiq_s.value)
        for pdf in batches:
            streams = pdf["stream"].tolist()
            skels = pdf["skeleton"].tolist()
            zh = pdf["zh"].to_numpy(dtype=np.bool_)
            sc, ss, kept = engine.sign(streams, skels, zh, params, uc, us)
            skel_len = np.asarray([len(s) for s in skels], dtype=np.int64)
            bc = np.stack(
                [
                    sketch.band_keys(sc, b, params.rows_char)
                    for b in range(params.bins // params.rows_char)
                ],
                axis=1,
            ).view(np.int64)
            bs = np.stack(
                [
                    sketch.band_keys(ss, b, params.rows_skeleton)
                    for b in range(params.bins // params.rows_skeleton)
                ],
                axis=1,
            ).view(np.int64)
            yield pd.DataFrame(
                {
                    "key": pdf["key"],
                    "weight": pdf["weight"],
                    "stream": streams,
                    "skeleton": skels,
                    "best_text": pdf["best_text"],
                    "sig_char": [row.tobytes() for row in sc],
                    "sig_skel": [row.tobytes() for row in ss],
                    "usable": kept >= params.min_shingles,
                    "skel_ok": (skel_len >= params.min_skeleton) & (ss[:, 0] != sketch.EMPTY),
                    "bc": list(bc),
                    "bs": list(bs),
                }
            )

    return run


_SIGNED = (
    "key long, weight long, stream string, skeleton string, best_text string, "
    "sig_char binary, sig_skel binary, usable boolean, skel_ok boolean, "
    "bc array<long>, bs array<long>"
)


def _features(pdf: pd.DataFrame, suffix: str = "") -> engine.Features:
    def sig(col: str) -> sketch.U32:
        raw = b"".join(pdf[col + suffix].tolist())
        return np.frombuffer(raw, dtype=np.uint32).reshape(len(pdf), -1).copy()

    n = len(pdf)
    return engine.Features(
        streams=pdf["stream" + suffix].tolist(),
        skeletons=pdf["skeleton" + suffix].tolist(),
        sig_char=sig("sig_char"),
        sig_skel=sig("sig_skel"),
        usable=pdf["usable" + suffix].to_numpy(dtype=np.bool_)
        if "usable" + suffix in pdf
        else np.ones(n, np.bool_),
        weights=pdf["weight" + suffix].to_numpy(dtype=np.int64)
        if "weight" + suffix in pdf
        else np.ones(n, np.int64),
        skel_ok=pdf["skel_ok" + suffix].to_numpy(dtype=np.bool_),
    )


def _score(params: Params) -> Callable[[PandasIter], PandasIter]:
    def run(batches: PandasIter) -> PandasIter:
        for pdf in batches:
            m = len(pdf)
            both = pd.concat(
                [
                    _side(pdf, "_a"),
                    _side(pdf, "_b"),
                ],
                ignore_index=True,
            )
            f = _features(both)
            idx = np.arange(m, dtype=np.int64)
            scores = engine.score_pairs(idx, idx + m, f)
            ok = scores >= np.float32(params.threshold)
            yield pd.DataFrame({"a": pdf["a"], "b": pdf["b"], "ok": ok})

    return run


def _side(pdf: pd.DataFrame, suffix: str) -> pd.DataFrame:
    cols = ["stream", "skeleton", "sig_char", "sig_skel", "skel_ok"]
    return pdf[[c + suffix for c in cols]].rename(columns={c + suffix: c for c in cols})


def _guard(params: Params, n_variants: int) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def run(pdf: pd.DataFrame) -> pd.DataFrame:
        pdf = pdf.assign(neg=-pdf["weight"]).sort_values(["neg", "key"]).reset_index(drop=True)
        f = _features(pdf)
        members = np.arange(len(pdf), dtype=np.int64)
        if len(pdf) == 1:
            groups = [members] if f.usable[0] and f.weights[0] >= 2 else []
        else:
            groups = engine.guard(members, f, params)
        best = pdf["best_text"].tolist()
        keys = pdf["key"].tolist()
        rows: dict[str, list[Any]] = {
            "key": [],
            "rep": [],
            "forms": [],
            "variants": [],
            "languages": [],
        }
        for group in groups:
            variants, langs = pipeline.cluster_info(group, f, best, n_variants)
            rep = keys[int(group[0])]
            for j, d in enumerate(group.tolist()):
                rows["key"].append(keys[d])
                rows["rep"].append(rep)
                rows["forms"].append(len(group) if j == 0 else None)
                rows["variants"].append(
                    json.dumps(
                        [[v.text, v.count, v.similarity] for v in variants], ensure_ascii=False
                    )
                    if j == 0
                    else None
                )
                rows["languages"].append(list(langs) if j == 0 else None)
        return pd.DataFrame(rows)

    return run


_GUARDED = "key long, rep long, forms long, variants string, languages array<string>"


def _components(edges: DataFrame, collect_limit: int) -> DataFrame:
    """(key, comp) for every document with at least one verified pair."""
    spark = edges.sparkSession
    n_edges = edges.count()
    if n_edges <= collect_limit:
        pairs: Any = edges.toPandas()
        a = pairs["a"].to_numpy(dtype=np.int64)
        b = pairs["b"].to_numpy(dtype=np.int64)
        nodes, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
        labels = engine.components(len(nodes), inverse[: len(a)], inverse[len(a) :])
        return spark.createDataFrame(
            pd.DataFrame({"key": nodes.astype(np.int64), "comp": labels.astype(np.int64)})
        )
    return _propagate(edges)


def _propagate(edges: DataFrame, max_rounds: int = 100) -> DataFrame:
    """Connected components by min-label propagation in Spark (for very large edge lists)."""
    both = edges.select("a", "b").union(edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    labels = both.select(F.col("a").alias("key")).distinct().withColumn("comp", F.col("key"))
    for _ in range(max_rounds):
        best = (
            both.join(labels, both.b == labels.key)
            .groupBy(both.a.alias("key"))
            .agg(F.min("comp").alias("n"))
        )
        new = (
            labels.join(best, "key")
            .select("key", F.least(F.col("comp"), F.col("n")).alias("comp"))
            .localCheckpoint()
        )
        changed = new.join(labels.withColumnRenamed("comp", "old"), "key").filter(
            F.col("comp") != F.col("old")
        )
        labels = new
        if changed.limit(1).count() == 0:
            return labels
    raise InputError("connected components did not converge; raise collect_limit")


def campaigns_doc(
    spark: SparkSession,
    path: str,
    *,
    params: Params | None = None,
    rings: RingParams | None = None,
    fields: FieldMap | None = None,
    indicators: ioc.Source | ioc.IndicatorFn = "auto",
    stage_of: StageFn | None = None,
    n_variants: int = 5,
    collect_limit: int = 50_000_000,
) -> tuple[CampaignReport, DataFrame]:
    """The campaigns report of the messages at `path`, and the (id, script) assignments."""
    params = params or Params()
    rp = rings or RingParams()
    msgs = read_messages(spark, path, fields or FieldMap()).cache()
    texts = msgs.groupBy("text").agg(F.count("*").alias("n"))
    prepared = texts.mapInPandas(_prepare(indicators), _PREP).cache()
    docs = prepared.groupBy("stream", "skeleton").agg(
        F.sum("n").alias("weight"),
        F.first("zh").alias("zh"),
        F.first("weight_len").alias("weight_len"),
        F.min_by("text", F.struct((-F.col("n")).alias("neg"), F.col("text"))).alias("best_text"),
    )
    docs = docs.mapInPandas(
        _keys, T.StructType([*docs.schema.fields, T.StructField("key", T.LongType())])
    ).cache()
    long_docs = docs.filter(F.col("weight_len") >= params.min_length).cache()
    n_long = long_docs.count()
    ubiq: list[list[int]] = []
    for channel, max_df in (("char", params.max_df), ("skel", params.max_df_skeleton)):
        cap = engine.df_cap(n_long, max_df)
        rows = (
            long_docs.select("stream", "skeleton", "zh")
            .mapInPandas(_df_counts(params, channel), "bucket long, n long")
            .groupBy("bucket")
            .agg(F.sum("n").alias("n"))
            .filter(F.col("n") > cap)
            .collect()
        )
        ubiq.append([int(r["bucket"]) for r in rows])
    bc_c = spark.sparkContext.broadcast(ubiq[0])
    bc_s = spark.sparkContext.broadcast(ubiq[1])
    signed = long_docs.mapInPandas(_sign(params, bc_c, bc_s), _SIGNED).cache()

    def pairs(col: str, valid: Any) -> DataFrame:
        ex = signed.filter(valid).select("key", "weight", F.posexplode(col).alias("band", "bucket"))
        piv = (
            ex.groupBy("band", "bucket")
            .agg(
                F.min_by("key", F.struct((-F.col("weight")).alias("neg"), F.col("key"))).alias(
                    "pivot"
                ),
                F.count("*").alias("size"),
            )
            .filter(F.col("size") > 1)
        )
        return (
            ex.join(piv, ["band", "bucket"])
            .filter(F.col("key") != F.col("pivot"))
            .select(F.col("pivot").alias("a"), F.col("key").alias("b"))
        )

    cand = pairs("bc", F.col("usable")).union(pairs("bs", F.col("usable") & F.col("skel_ok")))
    cand = cand.distinct()
    feat = signed.select("key", "stream", "skeleton", "sig_char", "sig_skel", "skel_ok")
    fa = feat.select(*[F.col(c).alias(c + "_a") for c in feat.columns])
    fb = feat.select(*[F.col(c).alias(c + "_b") for c in feat.columns])
    joined = cand.join(fa, cand.a == fa.key_a).join(fb, cand.b == fb.key_b)
    scored = joined.mapInPandas(_score(params), "a long, b long, ok boolean")
    edges = scored.filter(F.col("ok")).select("a", "b").cache()
    comps = _components(edges, collect_limit)
    in_comp = signed.join(comps, "key")
    alone = (
        signed.filter(F.col("usable") & (F.col("weight") >= 2))
        .join(comps, "key", "left_anti")
        .withColumn("comp", -F.col("key") - 1)
    )
    guarded = (
        in_comp.unionByName(alone)
        .groupBy("comp")
        .applyInPandas(_guard(params, n_variants), _GUARDED)
        .cache()
    )
    text_key = prepared.select("text", "stream", "skeleton").join(
        docs.select("stream", "skeleton", "key"), ["stream", "skeleton"]
    )
    iso = F.pandas_udf(_iso_series, "string")  # type: ignore[attr-defined]
    m = (
        msgs.join(text_key.select("text", "key"), "text")
        .join(guarded.select("key", "rep"), "key", "left")
        .withColumn("iso", iso(F.col("timestamp")))
        .cache()
    )
    agg = (
        m.filter(F.col("rep").isNotNull())
        .groupBy("rep")
        .agg(
            F.collect_list("id").alias("ids"),
            F.collect_set("account").alias("accounts"),
            F.collect_set("conversation").alias("conversations"),
            F.collect_set("platform").alias("platforms"),
            F.min("iso").alias("first"),
            F.max("iso").alias("last"),
        )
    )
    info = guarded.filter(F.col("forms").isNotNull()).select(
        "rep", "forms", "variants", "languages"
    )
    scripts = []
    for r in agg.join(info, "rep").collect():
        variants = tuple(Variant(t, int(c), float(s)) for t, c, s in json.loads(r["variants"]))
        scripts.append(
            pipeline.make_script(
                int(r["rep"]),
                variants,
                tuple(r["languages"]),
                int(r["forms"]),
                r["ids"],
                r["accounts"],
                r["conversations"],
                r["platforms"],
                [r["first"], r["last"]],
            )
        )
    scripts.sort(key=lambda s: (-s.size, s.id))
    inds = _indicators(m, prepared, indicators)
    n_accounts = msgs.select("account").distinct().count()
    campaigns, common = build_campaigns(scripts, inds, n_accounts, rp, stage_of)
    in_campaigns = {s.id for c in campaigns for s in c.scripts}
    staged = {s.id: s for c in campaigns for s in c.scripts}
    stats = {
        "messages": msgs.count(),
        "accounts": n_accounts,
        "distinct_texts": prepared.count(),
        "documents": docs.count(),
        "comparable_documents": signed.filter(F.col("usable")).count(),
        "clustered_messages": m.filter(F.col("rep").isNotNull()).count(),
        "scripts": len(scripts),
        "scripts_outside_campaigns": sum(1 for s in scripts if s.id not in in_campaigns),
        "campaigns": len(campaigns),
        "indicators": len(inds),
        "common_indicators": len(common),
    }
    report = CampaignReport(
        tuple(campaigns),
        tuple(staged.get(s.id, s) for s in scripts),
        tuple(common),
        params,
        rp,
        stats,
    )
    script_name = F.udf(lambda k: pipeline.script_id(k) if k is not None else None, "string")
    assignments = m.select("id", script_name(F.col("rep")).alias("script"))
    return report, assignments


def _iso_series(values: pd.Series) -> pd.Series:
    return values.map(lambda v: pipeline.iso_time(v) if isinstance(v, str) else None)


def _indicators(
    m: DataFrame, prepared: DataFrame, source: ioc.Source | ioc.IndicatorFn
) -> list[IndicatorSummary]:
    """Per indicator, its accounts, conversations and messages, as pipeline.indicator_summaries
    gives them: from the texts, plus the messages' hidden link targets (a message counts once
    per indicator; one whose text lacks it is also listed in hidden_message_ids)."""
    keys = ("id", "account", "conversation", "iso")
    in_text = (
        m.join(prepared.select("text", "ind_types", "ind_values"), "text")
        .filter(F.size("ind_types") > 0)
        .select(*keys, F.explode(F.arrays_zip("ind_types", "ind_values")).alias("z"))
        .select(*keys, "z.ind_types", "z.ind_values", F.lit(False).alias("hidden"))
    )
    links = m.filter(F.size("links") > 0).select(*keys, F.explode("links").alias("link"))
    of_link = (
        links.select("link")
        .distinct()
        .mapInPandas(_link_indicators(source), _LINK_INDS)
        .filter(F.size("ind_types") > 0)
    )
    behind = (
        links.join(of_link, "link")
        .select(*keys, F.explode(F.arrays_zip("ind_types", "ind_values")).alias("z"))
        .select(*keys, "z.ind_types", "z.ind_values", F.lit(True).alias("hidden"))
    )
    rows = (
        in_text.unionByName(behind)
        .groupBy(*keys, "ind_types", "ind_values")
        .agg(F.min(F.col("hidden").cast("int")).alias("hidden"))  # in the text wins
        .groupBy(F.col("ind_types").alias("type"), F.col("ind_values").alias("value"))
        .agg(
            F.collect_set("account").alias("accounts"),
            F.collect_set("conversation").alias("conversations"),
            F.collect_list("id").alias("ids"),
            F.collect_list(F.when(F.col("hidden") == 1, F.col("id"))).alias("hidden_ids"),
            F.min("iso").alias("first"),
            F.max("iso").alias("last"),
        )
        .collect()
    )
    out = [
        IndicatorSummary(
            type=r["type"],
            value=r["value"],
            accounts=tuple(sorted(r["accounts"])),
            conversations=tuple(sorted(r["conversations"])),
            message_ids=tuple(sorted(r["ids"])),
            first_seen=r["first"],
            last_seen=r["last"],
            hidden_message_ids=tuple(sorted(r["hidden_ids"])),
        )
        for r in rows
    ]
    out.sort(key=lambda i: (i.type, i.value))
    return out


_LINK_INDS = "link string, ind_types array<string>, ind_values array<string>"


def _link_indicators(source: ioc.Source | ioc.IndicatorFn) -> Callable[[PandasIter], PandasIter]:
    def run(batches: PandasIter) -> PandasIter:
        fn = ioc.resolve(source)
        for pdf in batches:
            links = pdf["link"].tolist()
            yield pd.DataFrame({"link": links, **_ind_columns(ioc.for_links(links, fn))})

    return run


def _ind_columns(inds: list[tuple[tuple[str, str], ...]]) -> dict[str, list[list[str]]]:
    """Per row, its (type, value) indicator pairs as the two array columns Spark carries."""
    return {
        "ind_types": [[k for k, _ in x] for x in inds],
        "ind_values": [[v for _, v in x] for x in inds],
    }


def run(
    path: str,
    output: str,
    *,
    master: str | None = None,
    params: Params | None = None,
    fields: FieldMap | None = None,
    indicators: ioc.Source | ioc.IndicatorFn = "auto",
) -> dict[str, Any]:
    """Run the job and write DIR/campaigns.json and DIR/assignments/ (Parquet)."""
    spark = session(master)
    report, assignments = campaigns_doc(
        spark, path, params=params, fields=fields, indicators=indicators
    )
    doc = report_dict(report)
    out = Path(output)
    if "://" not in output:
        out.mkdir(parents=True, exist_ok=True)
        (out / "campaigns.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    else:  # a cluster file system: let Spark write the document too
        spark.createDataFrame([(json.dumps(doc, ensure_ascii=False),)], "doc string").coalesce(
            1
        ).write.mode("overwrite").text(output.rstrip("/") + "/campaigns.json")
    assignments.write.mode("overwrite").parquet(output.rstrip("/") + "/assignments")
    return doc


def main(argv: list[str] | None = None) -> int:
    """Entry point for spark-submit (the same options as `scamlens spark campaigns`)."""
    from scamlens.campaigns.cli import register

    parser = argparse.ArgumentParser(prog="scamlens-spark")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(["spark", "campaigns", *(argv if argv is not None else sys.argv[1:])])
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
