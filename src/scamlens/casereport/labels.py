"""Headings and fixed sentences of the case report, in English and Chinese.

Reporting channels, next steps and the fund-recovery warning come from
scamlens.scoring.advice; this module only adds what the report itself needs.
"""

from __future__ import annotations

LANGS = ("en", "zh")

_EN: dict[str, str] = {
    "title": "Scam case report",
    "case": "Case",
    "case_id": "Case id",
    "status": "Status",
    "created": "Opened",
    "analyst_notes": "Analyst notes",
    "summary": "Summary",
    "assessment": "Automated assessment",
    "risk": "Risk score",
    "label": "Result",
    "stage": "Furthest stage reached",
    "period": "Period covered",
    "messages": "Messages",
    "platform": "Platform / export format",
    "parties": "People in the chat",
    "you": "the person who exported the chat",
    "timeline": "Timeline",
    "stages": "Stages",
    "key_messages": "Key messages",
    "timeline_cut": "{n} further flagged messages are not quoted here to keep the report short; "
    "the money, wallet, site and contact tables below are complete.",
    "money": "Money asked, sent or claimed",
    "no_money": "No amounts of money were found in the chat.",
    "wallets": "Crypto wallet addresses",
    "tx_hashes": "Transaction hashes",
    "sites": "Websites and apps",
    "contacts": "Contacts and handles",
    "none_found": "None found.",
    "next_steps": "What to do now",
    "where_to_report": "Where to report",
    "recovery_title": "Warning: 'fund recovery' offers",
    "what_next": "What usually happens next",
    "redaction": "Redaction",
    "redaction_off": "Not redacted: this report contains personal data from the chat.",
    "footer": "How this report was made",
    "generated": "Generated",
    "version": "scamlens version",
    "notes": "Notes on the import",
    "date": "Date",
    "direction": "Type",
    "amount": "Amount",
    "currency": "Currency",
    "from_message": "From message",
    "who": "Who",
    "chain": "Chain",
    "address": "Address",
    "check": "Format check",
    "intel": "Known reports",
    "hash": "Hash",
    "site": "Site / link",
    "lookalike": "Imitates",
    "kind": "Kind",
    "value": "Value",
    "first_seen": "First seen in chat",
    "message_no": "Message",
    "tactics": "Warning signs",
    "valid": "checksum valid",
    "invalid": "checksum FAILED (may be mistyped)",
    "unchecked": "not checkable",
    "statement": "This is an automated assessment by software that looks for patterns known from "
    "pig-butchering scams. The risk score is the tool's estimate, not a legal finding or proof "
    "of a crime. Amounts and directions are read from the chat text and may be incomplete; "
    "check them against bank and exchange records.",
    "headline_scam": "This chat matches the pattern of a pig-butchering (investment/romance) scam.",
    "headline_suspicious": "This chat shows some warning signs of a pig-butchering scam.",
    "headline_benign": "No scam indicators were found in this chat.",
    "language_other": "This chat is mostly in a language scamlens does not read. scamlens "
    "reads English and Chinese; red flags in other languages can be missed, so a low score "
    "here means little.",
    "benign_note": "Nothing in this chat matched the scam patterns scamlens knows. This does "
    "not guarantee that everything is fine; the general advice below is for reference.",
    "unpaid_fees": "Do not pay any 'tax', 'fee', 'deposit' or 'margin' to unfreeze an account "
    "or to withdraw: paying never releases the money, it only leads to the next fee.",
    "other_regions": "Elsewhere: your national police cyber-crime or fraud reporting centre, "
    "and your bank or exchange.",
    "dir_asked": "asked for",
    "dir_sent": "sent / paid",
    "dir_claimed_profit": "claimed balance or profit",
    "dir_fee_or_tax": "fee / tax / deposit demanded",
    "dir_mentioned": "mentioned",
    "why": "why",
    "sent_totals": "Total the chat says was sent or paid, by currency",
    "sent_totals_rows": "{n} rows",
    "sent_totals_none": "No amount in the chat reads as sent or paid.",
    "sent_totals_caveat": "Only rows read as 'sent / paid' are added; claimed balances, profits "
    "and fees that were only demanded are never added. The reading is automatic: an amount "
    "mentioned twice is counted twice, and a payment written as a bare number away from a "
    "money verb ('I put in 35,000') or not mentioned at all is missing, so the real loss can "
    "be higher. This is not a ledger: check it against bank and exchange records.",
    "no_currency": "(no currency written)",
    "rule_fee": "tax/fee word",
    "rule_paid_fee": "fee said to be paid",
    "rule_percent": "percentage next to a tax/fee",
    "rule_unlock": "deposit demanded to withdraw/unfreeze",
    "rule_profit": "balance/profit word",
    "rule_withdraw": "withdrawal or payout",
    "rule_to_victim": "other party says it sent this to you",
    "rule_confirm": "deposit confirmed as received",
    "rule_sent": "says it was sent",
    "rule_you_sent": "other party says you sent it",
    "rule_done": "says it is done",
    "rule_asked": "request to pay",
    "rule_reported_ask": "request quoted by you",
    "rule_question": "asks whether it was sent",
    "rule_negation": "not sent (negated)",
    "rule_plan": "plan or refusal, not a payment",
    "rule_someone_else": "someone else's money",
    "rule_own_money": "other party's own money",
    "rule_other_sent": "other party's own payment",
    "rule_victim_ask": "no request found",
    "rule_neutral": "savings, salary, loan or price",
    "rule_no_cue": "no cue word",
    "owner_victim": "you",
    "owner_other_party": "other party",
    "label_scam": "Scam pattern",
    "label_suspicious": "Suspicious",
    "label_benign": "No scam indicators",
    "unknown": "unknown",
}

_ZH: dict[str, str] = {
    "title": "诈骗案件报告",
    "case": "案件",
    "case_id": "案件编号",
    "status": "状态",
    "created": "创建日期",
    "analyst_notes": "分析员备注",
    "summary": "摘要",
    "assessment": "自动评估",
    "risk": "风险评分",
    "label": "结果",
    "stage": "已到达的阶段",
    "period": "时间范围",
    "messages": "消息数",
    "platform": "平台 / 导出格式",
    "parties": "聊天中的人",
    "you": "导出聊天记录的人",
    "timeline": "时间线",
    "stages": "阶段",
    "key_messages": "关键消息",
    "timeline_cut": "为保持报告简短，另有 {n} 条被标记的消息未在此引用；"
    "下面的金额、钱包、网站和联系方式表格是完整的。",
    "money": "被要求、已转出或声称的金额",
    "no_money": "聊天中未发现金额。",
    "wallets": "加密货币钱包地址",
    "tx_hashes": "交易哈希",
    "sites": "网站和 App",
    "contacts": "联系方式和账号",
    "none_found": "未发现。",
    "next_steps": "现在该怎么做",
    "where_to_report": "去哪里举报",
    "recovery_title": "警告：“追回损失”是二次诈骗",
    "what_next": "通常接下来会发生什么",
    "redaction": "脱敏",
    "redaction_off": "未脱敏：本报告包含聊天中的个人信息。",
    "footer": "本报告的生成方式",
    "generated": "生成时间",
    "version": "scamlens 版本",
    "notes": "导入说明",
    "date": "日期",
    "direction": "类型",
    "amount": "金额",
    "currency": "币种",
    "from_message": "来源消息",
    "who": "发送人",
    "chain": "链",
    "address": "地址",
    "check": "格式校验",
    "intel": "已知举报",
    "hash": "哈希",
    "site": "网站 / 链接",
    "lookalike": "仿冒",
    "kind": "类型",
    "value": "值",
    "first_seen": "首次出现",
    "message_no": "消息",
    "tactics": "可疑迹象",
    "valid": "校验通过",
    "invalid": "校验失败（可能抄错）",
    "unchecked": "无法校验",
    "statement": "本报告由软件根据已知“杀猪盘”诈骗特征自动生成。"
    "风险评分只是工具的估计，不是法律结论，"
    "也不能证明犯罪。金额和类型是从聊天文字中读取的，可能不完整，请与银行和交易所记录核对。",
    "headline_scam": "这段聊天符合“杀猪盘”（投资/网恋）诈骗的特征。",
    "headline_suspicious": "这段聊天有一些“杀猪盘”诈骗的可疑迹象。",
    "headline_benign": "这段聊天中未发现诈骗迹象。",
    "language_other": "这段聊天主要使用 scamlens 不能读懂的语言。scamlens 只读英文和中文，"
    "其他语言中的诈骗迹象可能被漏掉，因此这里的低分参考价值有限。",
    "benign_note": "聊天内容没有匹配 scamlens 已知的诈骗特征。"
    "这并不保证一切正常；下面的一般建议仅供参考。",
    "unpaid_fees": "不要为“解冻”或“提现”缴纳任何“税费”“手续费”“保证金”："
    "交了钱也取不出来，只会有下一笔费用。",
    "other_regions": "其他地区：当地警方的网络犯罪或反诈举报中心，以及您的银行或交易所。",
    "dir_asked": "对方要求",
    "dir_sent": "已转出 / 已支付",
    "dir_claimed_profit": "声称的余额或盈利",
    "dir_fee_or_tax": "被要求的费用 / 税 / 保证金",
    "dir_mentioned": "提及",
    "why": "依据",
    "sent_totals": "聊天中提到已转出 / 已支付的合计（按币种）",
    "sent_totals_rows": "{n} 条",
    "sent_totals_none": "聊天中没有读作“已转出 / 已支付”的金额。",
    "sent_totals_caveat": "只累加读作“已转出 / 已支付”的金额；声称的余额、盈利和仅被要求的费用"
    "从不计入。这是自动判读：同一笔钱提到两次会算两次；只写数字没写币种、旁边又没有转账 / 充值类"
    "动词（如“给了他 5000”）或聊天中没提到的付款不会计入，实际损失可能更高。这不是账目，请与银行和"
    "交易所记录核对。",
    "no_currency": "（未写币种）",
    "rule_fee": "税 / 费用词",
    "rule_paid_fee": "说已交的费用",
    "rule_percent": "税费旁的百分比",
    "rule_unlock": "提现 / 解冻前要求的充值",
    "rule_profit": "余额 / 盈利词",
    "rule_withdraw": "提现或出金",
    "rule_to_victim": "对方说转给了您",
    "rule_confirm": "确认已到账的充值",
    "rule_sent": "说已转出",
    "rule_you_sent": "对方说您已转",
    "rule_done": "说已办好",
    "rule_asked": "要求付款",
    "rule_reported_ask": "您转述的要求",
    "rule_question": "询问是否已转",
    "rule_negation": "未转（否定）",
    "rule_plan": "计划或拒绝，并非付款",
    "rule_someone_else": "他人的钱",
    "rule_own_money": "对方自己的钱",
    "rule_other_sent": "对方自己的付款",
    "rule_victim_ask": "未见要求",
    "rule_neutral": "存款、工资、借款或价格",
    "rule_no_cue": "无提示词",
    "owner_victim": "您本人",
    "owner_other_party": "对方",
    "label_scam": "符合诈骗特征",
    "label_suspicious": "可疑",
    "label_benign": "未发现诈骗迹象",
    "unknown": "未知",
}

_TABLES = {"en": _EN, "zh": _ZH}


def has_label(key: str) -> bool:
    return key in _EN


def label(lang: str, key: str) -> str:
    """The heading or sentence `key` in `lang` (English when the language is not known)."""
    return _TABLES.get(lang, _EN)[key]


_STAGE_ZH = {
    "contact": "接触 / 搭讪",
    "off_platform": "转到其他聊天软件",
    "grooming": "培养感情（信任、网恋）",
    "investment_pivot": "引入投资话题",
    "onboarding": "注册平台、首次充值",
    "fattening": "养猪（虚假盈利）",
    "escalation": "加码（更多资金、催促）",
    "withdrawal_block": "提现受阻（税费、冻结）",
    "exit_recovery": "消失与“追款”诈骗",
}


def stage_title(lang: str, stage: str | None) -> str | None:
    """A stage's title in the report language, None for no stage."""
    if stage is None:
        return None
    from scamlens.model import Stage

    if lang == "zh" and stage in _STAGE_ZH:
        return _STAGE_ZH[stage]
    try:
        return Stage(stage).display
    except ValueError:
        return stage
