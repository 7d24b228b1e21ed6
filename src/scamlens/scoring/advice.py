"""Advice for the person: plain and kind, by stage reached, in English or Chinese."""

from __future__ import annotations

from scamlens.model import Advice, Stage

_REPORT_EN = (
    "United States: FBI Internet Crime Complaint Center, https://www.ic3.gov",
    "United States: FTC, https://reportfraud.ftc.gov",
    "Your local police, and your bank or exchange's fraud team (ask them to freeze transfers)",
    "Mainland China: anti-fraud hotline 96110, or 110",
)
_REPORT_ZH = (
    "中国大陆：全国反诈专线 96110，或报警 110",
    "国家反诈中心 App 举报",
    "立即联系您的银行或交易所反诈部门，要求冻结或拦截转账",
    "美国：FBI IC3 https://www.ic3.gov ；FTC https://reportfraud.ftc.gov",
)
_RECOVERY_EN = (
    "Be careful with anyone who offers to recover lost money for a fee — 'fund recovery' "
    "agents, lawyers or 'blockchain investigators' who contact you are very often the same "
    "scammers coming back. Police and regulators never charge to recover funds."
)
_RECOVERY_ZH = (
    "警惕任何声称可以“追回损失”并要求先交费用的人——所谓的追款公司、律师或“区块链调查员”"
    "往往就是同一伙骗子。警方和监管机构追回资金从不收取费用。"
)

_NEXT_EN: dict[Stage | None, str] = {
    None: "Nothing in this chat looks like the pig-butchering pattern so far.",
    Stage.CONTACT: "Scams like this usually move the chat to WhatsApp or Telegram next, then "
    "build a friendship or romance over days before money comes up.",
    Stage.OFF_PLATFORM: "Next comes daily, warm contact for days or weeks to build trust, and "
    "questions about your work, income and savings.",
    Stage.GROOMING: "The usual next step is a 'sure' investment: a relative or mentor with "
    "insider knowledge, screenshots of profits, and an invitation to try a platform.",
    Stage.INVESTMENT_PIVOT: "Next you would be asked to buy USDT on a real exchange and send it "
    "to their platform or app, often with a 'customer service' agent guiding you.",
    Stage.ONBOARDING: "The platform will show quick profits, may let you withdraw a small sum "
    "once, and then push you to deposit much more.",
    Stage.FATTENING: "The profits on the screen are not real. Next come pressure to deposit "
    "more, loans, 'limited' offers, and then a block when you try to withdraw.",
    Stage.ESCALATION: "The next step is usually a withdrawal block: a 'tax', fee, frozen account "
    "or 'verification deposit' before you can take money out. Paying never unlocks it.",
    Stage.WITHDRAWAL_BLOCK: "Fees and taxes will keep coming; paying them does not release the "
    "money. The contact usually disappears, and 'recovery' offers follow.",
    Stage.EXIT_RECOVERY: "The original scam has ended. Offers to recover your money for a fee "
    "are a second scam.",
}
# Flagged, but no stage-bearing tactic yet (the risk comes from the models or intelligence):
# the benign "nothing here" line would contradict the verdict.
_UNSTAGED_EN = (
    "The signs so far do not show how far it has gone. Watch for the usual next steps: a move "
    "to WhatsApp or Telegram, talk of a 'sure' investment, a platform link, and requests to "
    "deposit or pay fees."
)
_UNSTAGED_ZH = (
    "目前还看不出进行到哪一步。请留意常见的下一步：转到 WhatsApp 或 Telegram 聊天、"
    "推荐“稳赚”的投资、发来平台链接、要求充值或交费。"
)
_NEXT_ZH: dict[Stage | None, str] = {
    None: "目前这段聊天没有明显的“杀猪盘”特征。",
    Stage.CONTACT: "这类骗局下一步通常会把聊天转到 WhatsApp、Telegram 或微信，然后花几天时间"
    "培养感情，之后才提到钱。",
    Stage.OFF_PLATFORM: "接下来通常是每天嘘寒问暖、建立信任，并打听您的工作、收入和存款。",
    Stage.GROOMING: "下一步通常是“稳赚”的投资：有内幕的亲戚或导师、盈利截图、邀请您试试某个平台。",
    Stage.INVESTMENT_PIVOT: "接下来会让您在正规交易所买 USDT，再转到他们的平台或 App，常有“客服”一步步指导。",
    Stage.ONBOARDING: "平台会显示快速盈利，可能先让您小额提现一次，然后诱导您投入更多。",
    Stage.FATTENING: "屏幕上的盈利不是真的。接下来会催您加仓、借钱、参加“限时”活动，提现时被卡住。",
    Stage.ESCALATION: "下一步通常是提现受阻：要求交“税”、手续费、保证金或“解冻”费用。交了也取不出来。",
    Stage.WITHDRAWAL_BLOCK: "费用会一个接一个，交钱并不能解冻资金。对方通常会消失，随后出现“追回损失”的人。",
    Stage.EXIT_RECOVERY: "原来的骗局已经结束。声称收费帮您追回损失的，是第二次诈骗。",
}

_STEPS_EN = (
    "Do not send any more money, crypto or 'fees', whatever reason is given.",
    "Do not install apps or profiles they send, and do not share codes or ID documents.",
    "Keep everything: export the chat, screenshot the platform, save wallet addresses, "
    "transaction hashes, dates and amounts (scamlens can put them in a report).",
    "Tell your bank or exchange now; fast reports sometimes stop transfers.",
    "Report it (see below). You are not to blame: these are organised criminal operations.",
)
_STEPS_ZH = (
    "不要再转任何钱、加密货币或“费用”，无论对方给出什么理由。",
    "不要安装对方发来的 App 或描述文件，不要透露验证码或证件。",
    "保留全部证据：导出聊天记录，截图平台页面，记下钱包地址、交易哈希、日期和金额（scamlens 可生成报告）。",
    "立即联系银行或交易所，尽早举报有时能拦截转账。",
    "报警并举报（见下方）。这不是您的错：这是有组织的犯罪。",
)
_STEPS_BENIGN_EN = (
    "If money or investing comes up with someone you have only met online, slow down and "
    "check the platform independently.",
    "Never send money to withdraw money: real platforms do not ask for tax or fees up front.",
)
_STEPS_BENIGN_ZH = (
    "如果只在网上认识的人提到投资或转钱，请放慢脚步，独立核实平台。",
    "正规平台从不要求先交税或手续费才能提现。",
)


def advice_for(stage: Stage | None, label: str, language: str) -> Advice:
    zh = language == "zh"
    if label != "benign" and stage is None:
        next_text = _UNSTAGED_ZH if zh else _UNSTAGED_EN
    else:
        next_text = (_NEXT_ZH if zh else _NEXT_EN)[stage if label != "benign" else None]
    steps: tuple[str, ...]
    if label == "benign":
        summary = (
            "未发现明显的杀猪盘迹象，但请保持警惕。"
            if zh
            else "This chat is not in English or Chinese, the languages scamlens reads, so "
            "finding no sign of a scam here means little. Stay careful."
            if language == "other"
            else "No clear sign of a pig-butchering scam was found. Stay careful."
        )
        steps = _STEPS_BENIGN_ZH if zh else _STEPS_BENIGN_EN
    else:
        where_zh = f"（阶段：{stage.display}）" if stage else ""
        where_en = f" (stage: {stage.display})" if stage else ""
        summary = (
            f"这段聊天符合“杀猪盘”诈骗的特征{where_zh}。"
            if zh and label == "scam"
            else "这段聊天有可疑之处，请谨慎。"
            if zh
            else f"This chat matches the pig-butchering scam pattern{where_en}."
            if label == "scam"
            else f"This chat shows warning signs of a pig-butchering scam{where_en}."
        )
        steps = _STEPS_ZH if zh else _STEPS_EN
    return Advice(
        summary=summary,
        next_steps=steps,
        what_happens_next=next_text,
        recovery_warning=_RECOVERY_ZH if zh else _RECOVERY_EN,
        where_to_report=_REPORT_ZH if zh else _REPORT_EN,
    )
