"""Seed texts for the synthetic labelled corpus (see synth.py). Written for this project.

Scam scripts follow the pig-butchering lifecycle in DOMAIN.md. Placeholders in braces are
filled per message ({name}, {me}, {amount}, {pct}, {url}, {wallet}, {phone}, {handle},
{city}). The spinning thesauri are used only by the generator, never by the detector, so the
measured quality is not helped by knowing the synonyms.
"""

from __future__ import annotations

# ruff: noqa: E501  (data: long literal lines, mostly Chinese, read better unwrapped)
# fmt: off

# (stage, text). One script per entry; each script belongs to exactly one generated campaign.
SCRIPTS_EN: tuple[tuple[str, str], ...] = (
    ("contact", "Hi {name}, is this still your number? We met at the wine tasting event in {city} "
     "last month and you told me to text you about the golf trip this weekend."),
    ("contact", "Hello, sorry to bother you. My assistant gave me this contact as the manager of "
     "the dental clinic, but it seems I have the wrong number. Anyway, it is nice to meet you, "
     "my name is {me} and I work in international trade."),
    ("contact", "Good evening {name}! Are we still having dinner together on Friday at the Italian "
     "restaurant near the harbour? Please let me know so I can book the table."),
    ("contact", "Excuse me, is this {name}? My aunt asked me to contact you about the apartment "
     "viewing tomorrow morning. If I got the number wrong, I apologise for disturbing you."),
    ("contact", "Hi there, I found your profile in the hiking group and your photos from the "
     "mountains are beautiful. I also love travelling alone, would you like to be friends and "
     "share some stories?"),
    ("off_platform", "I rarely use this app because the notifications never work on my phone. "
     "Can we chat on WhatsApp instead? My number is {phone}, add me and send me a hello."),
    ("off_platform", "This platform keeps deleting my messages and I do not want to lose contact "
     "with you. Please add my Telegram {handle} so we can talk more freely."),
    ("off_platform", "My account here will expire soon because I only opened it for a business "
     "trip. Let us move to LINE, my ID is {handle}, I will wait for your message there."),
    ("grooming", "Good morning my dear, did you sleep well last night? I woke up early to make "
     "coffee and the first thing I thought about was your smile. Remember to eat breakfast "
     "before you go to work."),
    ("grooming", "I have been single for three years since my wife passed away, and I focus on my "
     "business and my daughter. Talking with you every day makes me feel that God has given me "
     "a second chance at happiness."),
    ("grooming", "I am not the kind of person who opens my heart easily, but with you I feel safe. "
     "When I finish this project I want to fly to your city and take you to the beach for a "
     "whole week."),
    ("grooming", "My camera is broken and the company network blocks video calls, so I cannot do "
     "a video chat right now. Please do not be upset, I promise we will meet in person very "
     "soon."),
    ("grooming", "What do you do for work, and do you own your house or rent? I ask because I "
     "care about your future and I want to know how I can help you live a better life."),
    ("grooming", "Good night sweetheart, thank you for listening to me today. Sleep well and "
     "dream of us walking together by the sea, I will message you as soon as I wake up."),
    ("investment_pivot", "My uncle is a senior analyst at a big investment bank and he has inside "
     "information about the market. Every week he tells me the exact time to buy and sell, and "
     "I have never lost money following his signals."),
    ("investment_pivot", "Today I made {amount} in just two hours trading gold contracts on a "
     "platform my mentor recommended. I only share this with people I really trust, because I "
     "want us to build our future together."),
    ("investment_pivot", "Have you ever thought about investing in crypto? I know you work very "
     "hard, and it makes me sad that your money just sits in the bank losing value to "
     "inflation every year."),
    ("investment_pivot", "I can teach you step by step, it is very simple and there is no risk "
     "because we follow the data from my uncle's team. You only need a small amount to start "
     "and you can withdraw at any time."),
    ("onboarding", "First download the Crypto.com app and buy USDT with your bank card, then send "
     "it to the wallet address of the trading platform: {wallet}. Send me a screenshot when it "
     "is done so I can check."),
    ("onboarding", "Please register on our official platform {url} using my invitation code, and "
     "contact the customer service on Telegram if you have any problem with the deposit."),
    ("onboarding", "The minimum deposit for the VIP account is {amount}, and with VIP level you get "
     "the higher profit rate and priority withdrawal. Most of my friends started with the VIP "
     "level."),
    ("onboarding", "To join the liquidity mining pool you just need to connect your wallet and "
     "approve the contract. The daily yield is {pct} and the rewards arrive in your account "
     "every six hours."),
    ("fattening", "Congratulations, your account now shows a profit of {amount}! You see, I told "
     "you the signals are accurate. You can try a small withdrawal to confirm that everything "
     "is real."),
    ("fattening", "The platform is running a limited anniversary event this week: if you deposit "
     "{amount} before Friday you receive a bonus of {pct}. This chance only comes once a year, "
     "we should not miss it."),
    ("escalation", "We are so close to reaching the next level, you only need {amount} more. If "
     "you do not have enough, you could borrow from your family or use your credit card, I will "
     "also put in half for you."),
    ("escalation", "Time is running out, the trading window closes in three hours and the team "
     "will not wait for us. Please hurry and transfer the funds now, otherwise all our previous "
     "profit will be lost."),
    ("withdrawal_block", "Dear customer, your withdrawal request has been received. According to "
     "the regulations you must first pay the personal income tax of {pct} on your profits, which "
     "is {amount}, before the funds can be released."),
    ("withdrawal_block", "Your account has been frozen by the risk control department because of "
     "abnormal trading activity. To unfreeze it, you need to deposit a security margin of "
     "{amount} within 24 hours, otherwise the funds will be confiscated."),
    ("withdrawal_block", "Notice from the legal department: the anti-money-laundering verification "
     "has not been completed. Please pay the verification fee of {amount} to the designated "
     "wallet {wallet} so that your withdrawal can be processed."),
    ("withdrawal_block", "The system detected that your credit score is below the required level. "
     "Please deposit {amount} to restore your credit score, after which you can withdraw the "
     "full balance immediately."),
    ("exit_recovery", "Hello, we are a team of certified blockchain investigators working with law "
     "enforcement. We can trace and recover the funds you lost to the fraudulent platform, the "
     "service fee is only {pct} of the recovered amount."),
    ("exit_recovery", "I am a lawyer specialising in crypto fraud cases. Your case has been "
     "registered with the international recovery fund, and you need to pay a processing fee of "
     "{amount} to receive your compensation."),
    ("exit_recovery", "Many people have been cheated by fake trading sites, and the scammers behind "
     "these crimes are hard to catch. Our agency has already helped more than two thousand "
     "victims get their money back, contact our agent {handle} for a free consultation."),
    ("investment_pivot", "Hi dear, I have a friend who works in the customer service department of "
     "the exchange. She told me there is a special arbitrage opportunity tonight, and we can "
     "double our money if we follow her instructions."),
    ("grooming", "I understand that you are worried, it is normal to be careful with money. But I "
     "have been doing this for years and I would never do anything to hurt you, you are the "
     "most important person in my life."),
    ("escalation", "Remember not to tell your bank the real reason for the transfer, just say it is "
     "for a family member or for buying a car. The bank staff do not understand crypto and they "
     "will block your payment."),
)  # fmt: skip

SCRIPTS_ZH: tuple[tuple[str, str], ...] = (
    ("contact", "你好，请问是{name}吗？上次在朋友的生日聚会上认识的，你说周末可以一起去打高尔夫球，还记得我吗？"),
    ("contact", "不好意思打扰了，我的助理给了我这个号码，说是装修公司的王经理，看来是加错人了。不过也是缘分，我叫{me}，在香港做进出口贸易。"),
    ("contact", "你好，在交友软件上看到你的照片，感觉你很有气质，我平时也喜欢旅游和摄影，可以交个朋友吗？"),
    ("off_platform", "这个软件我很少上，消息经常收不到，我们加个微信聊吧，我的微信号是{handle}，加的时候备注一下名字。"),
    ("off_platform", "这里聊天不太方便，平台会删消息，你下载一个Telegram吧，我的账号是{handle}，以后我们在那边联系。"),
    ("grooming", "早上好亲爱的，昨晚睡得好吗？我一早起来就想到你，记得吃早餐，不要饿着肚子去上班哦。"),
    ("grooming", "我太太三年前因病去世了，这几年我一直忙于工作和照顾女儿。认识你之后，我感觉生活又有了希望，谢谢你愿意听我说这些。"),
    ("grooming", "我的摄像头坏了，公司的网络也不让视频通话，所以暂时没办法视频，你别生气，等忙完这个项目我一定飞过去见你。"),
    ("grooming", "你现在做什么工作呀？房子是自己买的还是租的？我问这些是因为我真的关心你，想知道以后怎么帮你过得更好。"),
    ("grooming", "晚安宝贝，今天谢谢你陪我聊天，好好休息，梦里有我们一起在海边散步，我醒来第一时间给你发消息。"),
    ("investment_pivot", "我舅舅是一家大型投资银行的高级分析师，他有内部消息，每周都会告诉我什么时候买入什么时候卖出，跟着他做我从来没有亏过钱。"),
    ("investment_pivot", "今天我在导师推荐的平台上做黄金合约，两个小时就赚了{amount}，这个我只告诉我最信任的人，因为我想和你一起规划我们的未来。"),
    ("investment_pivot", "你有没有想过做点投资？你工作那么辛苦，钱放在银行里每年都被通货膨胀吃掉，我看着都心疼。"),
    ("investment_pivot", "我可以手把手教你，很简单的，跟着我舅舅团队的数据操作，稳赚不赔，先投一点点试试，随时都可以提现。"),
    ("onboarding", "你先下载一个交易所的软件，用银行卡买一些USDT，然后转到平台的充值地址{wallet}，转好之后截图发给我看一下。"),
    ("onboarding", "请用我的邀请码在官方平台{url}注册账号，充值遇到问题的话可以在Telegram上联系在线客服。"),
    ("onboarding", "开通VIP账户最低需要充值{amount}，VIP等级收益更高，而且提现优先处理，我身边的朋友都是直接开的VIP。"),
    ("fattening", "恭喜你，账户已经盈利{amount}了！我就说老师的信号很准吧，你可以先试着提现一小笔，确认一下都是真的。"),
    ("fattening", "平台这周有周年庆活动，周五之前充值{amount}就送{pct}的奖金，这种机会一年只有一次，我们千万不能错过。"),
    ("escalation", "我们离下一个等级只差{amount}了，如果你钱不够，可以先找家人借一点或者用信用卡，我也帮你出一半。"),
    ("escalation", "时间不多了，交易窗口三个小时后就关闭，团队不会等我们的，你赶紧把钱转过去，不然之前的收益就全没了。"),
    ("withdrawal_block", "尊敬的客户，您的提现申请已收到。根据相关规定，您需要先缴纳盈利部分{pct}的个人所得税，共计{amount}，缴纳后资金才能到账。"),
    ("withdrawal_block", "您的账户因交易异常已被风控部门冻结，需要在24小时内缴纳{amount}保证金进行解冻，逾期资金将被没收。"),
    ("withdrawal_block", "法务部通知：您的账户反洗钱审核尚未完成，请将审核费{amount}转入指定钱包{wallet}，完成后即可处理提现。"),
    ("withdrawal_block", "系统检测到您的信用分不足，请充值{amount}恢复信用分，恢复后即可全额提现，否则账户将被永久冻结。"),
    ("exit_recovery", "您好，我们是专业的区块链追款团队，与执法部门合作，可以帮您追回被虚假平台骗走的资金，服务费只收追回金额的{pct}。"),
    ("exit_recovery", "我是专门处理数字货币诈骗案件的律师，您的案件已经在国际追偿基金登记，需要先支付{amount}手续费才能领取赔偿金。"),
    ("exit_recovery", "很多人都被虚假交易网站骗了，这些犯罪背后的骗子很难抓到。我们机构已经帮助两千多名受害者追回了资金，联系我们的专员{handle}免费咨询。"),
    ("escalation", "不要告诉银行转账的真实原因，就说是给家人转钱或者买车用的，银行的人不懂数字货币，他们会拦截你的付款。"),
)  # fmt: skip

# Spinner-style thesaurus (word or phrase -> alternatives), like article-spinning tools use.
THESAURUS_EN: dict[str, tuple[str, ...]] = {
    "scammers": ("fraudsters", "con artists", "crooks"), "crimes": ("criminal offenses",
    "illegal acts", "offences"), "hard": ("difficult", "tough"), "catch": ("capture", "arrest"),
    "helped": ("assisted", "supported"), "victims": ("sufferers", "affected people"),
    "money": ("funds", "cash", "capital"), "get": ("obtain", "receive"), "contact": ("reach",
    "get in touch with"), "free": ("complimentary", "no-cost"), "consultation": ("assessment",
    "consult"), "beautiful": ("gorgeous", "lovely", "stunning"), "friends": ("pals", "buddies"),
    "number": ("phone number", "contact number"), "met": ("saw each other", "got to know each "
    "other"), "event": ("party", "gathering"), "month": ("few weeks",), "trip": ("outing",
    "journey"), "sorry": ("apologies", "pardon me"), "bother": ("disturb", "trouble"),
    "assistant": ("secretary", "helper"), "manager": ("director", "boss"), "nice": ("pleasant",
    "great", "lovely"), "work": ("do business", "am employed"), "dinner": ("supper", "a meal"),
    "restaurant": ("bistro", "eatery"), "near": ("close to", "by"), "book": ("reserve",),
    "table": ("seat", "spot"), "aunt": ("auntie", "relative"), "apartment": ("flat",
    "condo"), "tomorrow": ("the next day",), "apologise": ("am sorry", "apologize"),
    "disturbing": ("bothering", "troubling"), "found": ("came across", "discovered"),
    "profile": ("page", "account"), "group": ("club", "community"), "photos": ("pictures",
    "pics"), "love": ("enjoy", "adore"), "travelling": ("traveling", "touring"), "alone":
    ("solo", "by myself"), "share": ("exchange", "swap"), "stories": ("tales", "experiences"),
    "rarely": ("seldom", "hardly ever"), "app": ("application", "program"), "notifications":
    ("alerts", "notices"), "chat": ("talk", "message"), "instead": ("rather",), "deleting":
    ("removing", "erasing"), "messages": ("texts", "chats"), "lose": ("miss", "drop"),
    "freely": ("openly", "easily"), "expire": ("end", "run out"), "business": ("work",
    "company"), "wait": ("stay waiting",), "dear": ("darling", "love", "honey"), "sleep":
    ("rest",), "woke": ("got",), "early": ("at dawn",), "coffee": ("a cup of coffee",),
    "thought": ("thinking",), "smile": ("grin", "face"), "remember": ("don't forget",
    "make sure"), "eat": ("have",), "single": ("alone", "unmarried"), "years": ("yrs",),
    "wife": ("spouse", "partner"), "passed away": ("died", "left this world"), "focus":
    ("concentrate",), "daughter": ("little girl", "child"), "talking": ("chatting",
    "speaking"), "chance": ("opportunity", "shot"), "happiness": ("joy", "love"), "kind":
    ("type", "sort"), "person": ("individual", "man"), "heart": ("soul", "feelings"),
    "easily": ("quickly", "readily"), "safe": ("secure", "protected"), "finish": ("complete",
    "wrap up"), "project": ("assignment", "contract"), "fly": ("travel", "come"), "city":
    ("town", "place"), "beach": ("seaside", "coast"), "whole": ("full", "entire"), "camera":
    ("webcam", "cam"), "broken": ("damaged", "not working"), "company": ("office", "firm"),
    "network": ("internet", "system"), "blocks": ("stops", "prevents"), "calls": ("chats",),
    "upset": ("angry", "sad"), "promise": ("swear", "guarantee"), "soon": ("shortly",
    "quickly"), "house": ("home", "property"), "rent": ("lease",), "care": ("worry",),
    "future": ("tomorrow", "life ahead"), "help": ("assist", "support"), "better": ("nicer",
    "improved"), "life": ("existence", "living"), "sweetheart": ("sweetie", "baby", "darling"),
    "listening": ("paying attention",), "dream": ("imagine", "think"), "walking": ("strolling",
    "wandering"), "sea": ("ocean", "shore"), "message": ("text", "write"), "uncle": ("mentor",
    "relative"), "senior": ("top", "leading"), "analyst": ("expert", "specialist"), "big":
    ("large", "major"), "investment": ("finance", "financial"), "bank": ("institution",),
    "inside": ("insider", "private"), "information": ("info", "data"), "market": ("markets",
    "trading market"), "exact": ("precise", "right"), "buy": ("purchase",), "sell": ("sell off",
    "exit"), "lost": ("lost out", "missed"), "following": ("using", "trusting"), "signals":
    ("tips", "calls"), "made": ("earned", "gained"), "trading": ("dealing", "investing in"),
    "gold": ("precious metal",), "contracts": ("futures", "deals"), "platform": ("site",
    "exchange", "system"), "mentor": ("teacher", "coach"), "recommended": ("suggested",
    "advised"), "trust": ("rely on", "believe in"), "build": ("create", "make"), "thought about":
    ("considered",), "investing": ("putting money", "trading"), "crypto": ("cryptocurrency",
    "digital currency", "bitcoin"), "sad": ("unhappy", "upset"), "losing": ("dropping",
    "giving up"), "value": ("worth",), "inflation": ("rising prices",), "teach": ("show",
    "guide"), "simple": ("easy", "basic"), "risk": ("danger", "downside"), "data": ("numbers",
    "analysis"), "team": ("group", "crew"), "small": ("tiny", "little"), "start": ("begin",
    "get started"), "withdraw": ("cash out", "take out"), "download": ("install", "get"),
    "card": ("debit card", "credit card"), "send": ("transfer", "move"), "address": ("addr",
    "account"), "screenshot": ("picture", "screen capture"), "check": ("verify", "confirm"),
    "register": ("sign up", "create an account"), "official": ("authorized", "legit"),
    "invitation": ("invite", "referral"), "code": ("number",), "customer service": ("support",
    "customer support", "help desk"), "problem": ("issue", "trouble"), "deposit": ("top up",
    "payment", "funding"), "minimum": ("lowest", "smallest"), "account": ("profile",
    "wallet"), "higher": ("bigger", "better"), "profit": ("earnings", "gains", "returns"),
    "rate": ("ratio", "percentage"), "priority": ("first", "faster"), "started": ("began",
    "joined"), "join": ("enter", "take part in"), "pool": ("program", "plan"), "connect":
    ("link", "attach"), "approve": ("authorize", "accept"), "daily": ("per day", "everyday"),
    "yield": ("return", "income"), "rewards": ("payouts", "earnings"), "arrive": ("come",
    "land"), "congratulations": ("well done", "congrats"), "shows": ("displays", "has"),
    "accurate": ("correct", "precise"), "try": ("attempt", "test"), "confirm": ("prove",
    "verify"), "real": ("genuine", "legit"), "running": ("holding", "hosting"), "limited":
    ("special", "exclusive"), "anniversary": ("birthday", "celebration"), "receive": ("get",
    "earn"), "bonus": ("reward", "extra"), "miss": ("lose", "skip"), "close": ("near",),
    "reaching": ("hitting", "getting to"), "level": ("tier", "stage"), "borrow": ("loan",
    "take"), "family": ("relatives", "parents"), "put in": ("contribute", "pay"), "half":
    ("fifty percent", "part"), "hurry": ("rush", "be quick"), "transfer": ("send", "wire"),
    "funds": ("money", "balance"), "previous": ("earlier", "past"), "customer": ("client",
    "user"), "request": ("application", "order"), "received": ("got", "accepted"),
    "regulations": ("rules", "law"), "pay": ("settle", "cover"), "tax": ("duty", "levy"),
    "profits": ("gains", "earnings"), "released": ("paid out", "unlocked"), "frozen": ("locked",
    "suspended"), "department": ("division", "unit"), "abnormal": ("unusual", "irregular"),
    "activity": ("behavior", "actions"), "unfreeze": ("unlock", "release"), "security": ("safety",
    "guarantee"), "margin": ("deposit", "bond"), "confiscated": ("seized", "forfeited"),
    "notice": ("notification", "announcement"), "legal": ("law", "compliance"), "verification":
    ("review", "check"), "completed": ("finished", "done"), "fee": ("charge", "cost"),
    "designated": ("specified", "assigned"), "processed": ("handled", "completed"), "detected":
    ("found", "noticed"), "credit": ("trust", "rating"), "score": ("rating", "level"),
    "required": ("needed", "necessary"), "restore": ("recover", "repair"), "full": ("entire",
    "whole"), "balance": ("amount", "sum"), "immediately": ("right away", "at once"),
    "certified": ("licensed", "professional"), "investigators": ("detectives", "analysts"),
    "trace": ("track", "follow"), "recover": ("retrieve", "get back"), "fraudulent": ("fake",
    "scam"), "service": ("handling",), "lawyer": ("attorney", "solicitor"), "specialising":
    ("specializing", "focusing"), "cases": ("matters", "files"), "registered": ("recorded",
    "filed"), "international": ("global", "worldwide"), "fund": ("program", "pool"),
    "processing": ("handling", "admin"), "compensation": ("payout", "refund"), "cheated":
    ("tricked", "fooled"), "fake": ("bogus", "phony"), "sites": ("websites", "platforms"),
    "agency": ("firm", "company"), "agent": ("representative", "officer"), "friend":
    ("buddy", "pal"), "special": ("unique", "rare"), "opportunity": ("chance", "deal"),
    "tonight": ("this evening",), "double": ("multiply", "grow"), "instructions": ("guidance",
    "advice"), "worried": ("anxious", "concerned"), "normal": ("natural", "ok"), "careful":
    ("cautious", "wary"), "hurt": ("harm", "damage"), "important": ("special", "precious"),
    "reason": ("purpose", "motive"), "staff": ("employees", "workers"), "understand": ("know",
    "get"), "block": ("stop", "freeze"), "payment": ("transfer", "transaction"),
}  # fmt: skip

THESAURUS_ZH: dict[str, tuple[str, ...]] = {
    "赚": ("挣", "盈利"), "钱": ("资金", "钞票"), "平台": ("网站", "系统"), "投资": ("理财",),
    "老师": ("导师", "师傅"), "导师": ("老师", "师傅"), "提现": ("出金", "取款"), "充值": ("入金", "存款"),
    "账户": ("账号",), "朋友": ("好友",), "工作": ("上班", "干活"), "喜欢": ("爱",), "机会": ("良机",),
    "告诉": ("通知",), "帮": ("协助",), "需要": ("必须", "得"), "资金": ("款项", "钱款"),
    "客服": ("客户服务", "服务人员"), "亲爱的": ("宝贝", "亲"), "简单": ("容易",), "一起": ("共同",),
    "错过": ("放过",), "赶紧": ("赶快", "抓紧"), "家人": ("家里人", "亲人"), "照片": ("相片",),
    "旅游": ("旅行",), "消息": ("信息",), "软件": ("应用", "APP"), "生气": ("不高兴",),
    "关心": ("在乎",), "规划": ("计划",), "收益": ("利润", "回报"), "冻结": ("锁定",),
    "缴纳": ("支付", "交"), "手续费": ("服务费",), "注册": ("开户",), "信任": ("相信",),
    "合约": ("合同",), "分析师": ("专家",), "内部": ("内幕",), "买入": ("进场",), "卖出": ("出场",),
    "从来": ("从",), "心疼": ("难过",), "辛苦": ("累",), "银行卡": ("储蓄卡",), "截图": ("截屏",),
    "邀请码": ("推荐码",), "官方": ("正规",), "遇到": ("碰到",), "问题": ("麻烦",),
    "最低": ("起步",), "优先": ("优先级",), "活动": ("优惠",), "奖金": ("奖励",),
    "等级": ("级别",), "信用卡": ("贷款",), "关闭": ("结束",), "团队": ("小组",),
    "客户": ("用户",), "申请": ("请求",), "规定": ("政策",), "个人所得税": ("所得税", "税费"),
    "异常": ("不正常",), "部门": ("中心",), "保证金": ("押金",), "没收": ("清零",),
    "通知": ("公告",), "审核": ("核查",), "指定": ("专用",), "检测": ("发现",),
    "恢复": ("修复",), "专业": ("资深",), "追回": ("找回",), "虚假": ("假冒",),
    "律师": ("法律顾问",), "案件": ("案子",), "赔偿金": ("补偿款",), "骗子": ("诈骗分子",),
    "机构": ("公司",), "受害者": ("被害人",), "免费": ("无偿",), "咨询": ("询问",),
    "银行": ("柜台",), "真实": ("真正",), "拦截": ("阻止",), "付款": ("转账",),
    "号码": ("电话",), "打扰": ("麻烦",), "助理": ("秘书",), "缘分": ("有缘",),
    "聚会": ("派对",), "记得": ("别忘了",), "早餐": ("早饭",), "去世": ("离世",),
    "希望": ("盼头",), "摄像头": ("镜头",), "视频": ("视讯",), "项目": ("工程",),
    "房子": ("房",), "休息": ("睡觉",), "散步": ("走走",), "时间": ("时候",), "收到": ("接收",),
    "简直": ("真是",), "确认": ("核实",), "周年庆": ("庆典",), "信用分": ("信誉分",),
}  # fmt: skip

# Person and place fillers.
NAMES_EN = (
    "Anna", "Maria", "Jessica", "David", "Michael", "Sarah", "Linda", "Robert", "Emily",
    "James", "Karen", "Susan", "Daniel", "Laura", "Kevin", "Nancy", "Helen", "Peter", "Grace",
    "Thomas", "Olivia", "Sophie", "Mark", "Rachel", "Brian", "Julia", "Steven", "Amy", "Eric",
)  # fmt: skip
NAMES_ZH = (
    "李明", "王芳", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周杰", "吴婷", "徐强", "孙悦",
    "马超", "朱琳", "胡军", "郭敏", "林峰", "何雪",
)  # fmt: skip
CITIES = (
    "Seattle", "Houston", "Denver", "Boston", "Toronto", "Sydney", "London", "Austin",
    "Chicago", "Phoenix", "Miami", "Vancouver", "Dallas", "Atlanta",
)  # fmt: skip

# LLM-style rewording patterns (applied as whole-phrase substitutions with some probability).
PARAPHRASE_EN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("I am ", ("I'm ",)), ("I'm ", ("I am ",)), ("do not ", ("don't ",)), ("don't ", ("do not ",)),
    ("you will ", ("you'll ",)), ("it is ", ("it's ",)), ("cannot ", ("can't ", "am unable to ")),
    ("I will ", ("I'm going to ", "I'll ")), ("you need to ", ("you must ", "you have to ",
    "it is necessary for you to ")), ("Please ", ("Kindly ", "Could you please ", "")),
    ("can you ", ("could you ", "would you be able to ")), ("I want to ", ("I would like to ",
    "I'd love to ")), ("very ", ("really ", "extremely ", "")), ("just ", ("", "simply ")),
    ("we can ", ("we are able to ", "we could ")), ("You can ", ("You are able to ", "Feel free "
    "to ")), ("because ", ("since ", "as ")), ("so that ", ("so ", "in order that ")),
    ("Hello, ", ("Hi, ", "Greetings, ")), ("I have ", ("I've ",)), ("will not ", ("won't ",)),
)  # fmt: skip
OPENERS_EN = (
    "Honestly, ", "To be honest, ", "You know, ", "Listen, ", "Dear, ", "By the way, ",
    "I wanted to tell you that ", "Just so you know, ",
)  # fmt: skip
CLOSERS_EN = (
    " Trust me.", " Okay?", " 😊", " Let me know what you think.", " I hope you understand.",
    " ❤️", " Talk soon.", " Don't worry about it.",
)  # fmt: skip
PARAPHRASE_ZH: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("你", ("您",)), ("我会", ("我将",)), ("需要", ("得", "必须")), ("可以", ("能",)),
    ("什么时候", ("何时",)), ("一定", ("肯定",)), ("吧", ("吗", "")), ("非常", ("特别", "很")),
    ("已经", ("已",)), ("如果", ("要是", "假如")), ("因为", ("由于",)), ("所以", ("因此",)),
)  # fmt: skip
OPENERS_ZH = ("说实话，", "亲爱的，", "跟你说，", "其实，", "对了，", "我跟你讲，")
CLOSERS_ZH = ("好吗？", "😊", "相信我。", "你考虑一下。", "❤️", "听我的没错。")

# Letters and their look-alikes, used by the obfuscation step.
HOMOGLYPHS_OUT = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "s": "ѕ",
    "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "T": "Т", "H": "Н", "K": "К", "M": "М",
}  # fmt: skip

# Benign chatter: vocabulary for the grammar below, greetings and short replies.
CHATTER_SLOTS_EN: dict[str, tuple[str, ...]] = {
    "place": (
        "gym",
        "store",
        "park",
        "office",
        "library",
        "market",
        "beach",
        "mall",
        "clinic",
        "school",
        "airport",
        "cinema",
        "pool",
        "bakery",
        "garage",
        "dentist",
        "bank",
        "post office",
        "farmers market",
        "hardware store",
        "bus stop",
        "train station",
        "hospital",
        "church",
        "cafe",
        "pharmacy",
        "stadium",
        "museum",
        "zoo",
        "salon",
    ),
    "person": (
        "my sister",
        "my mom",
        "my dad",
        "my brother",
        "a friend",
        "my cousin",
        "my boss",
        "the neighbours",
        "my wife",
        "my husband",
        "grandma",
        "grandpa",
        "my aunt",
        "the kids",
        "my roommate",
        "a coworker",
        "the teacher",
        "my son",
        "my daughter",
        "our landlord",
        "the plumber",
        "my best friend",
    ),
    "time": (
        "work",
        "lunch",
        "school",
        "six",
        "the meeting",
        "dinner",
        "noon",
        "eight",
        "practice",
        "church",
        "my shift",
        "class",
        "the game",
        "ten",
    ),
    "thing": (
        "game",
        "movie",
        "concert",
        "show",
        "match",
        "parade",
        "documentary",
        "report",
        "recipe",
        "puzzle",
        "play",
        "exhibition",
        "lecture",
        "podcast",
        "episode",
        "presentation",
        "wedding",
        "recital",
        "fireworks",
        "quiz night",
        "tournament",
    ),
    "adj": (
        "amazing",
        "boring",
        "fun",
        "great",
        "weird",
        "awesome",
        "ok",
        "long",
        "lovely",
        "hilarious",
        "exhausting",
        "so loud",
        "too short",
        "pretty good",
        "a mess",
    ),
    "food": (
        "milk",
        "bread",
        "eggs",
        "pizza",
        "rice",
        "apples",
        "coffee",
        "cheese",
        "noodles",
        "chicken",
        "tea",
        "snacks",
        "bananas",
        "yogurt",
        "tacos",
        "soup",
        "cereal",
        "butter",
        "tomatoes",
        "ice cream",
        "dumplings",
        "salad",
        "juice",
    ),
    "n": ("5", "10", "15", "20", "30"),
    "name": NAMES_EN,
    "day": (
        "Monday",
        "Tuesday",
        "Friday",
        "Saturday",
        "Sunday",
        "tomorrow",
        "tonight",
        "next week",
        "the weekend",
    ),
    "activity": (
        "tennis",
        "yoga",
        "the hike",
        "swimming",
        "bowling",
        "karaoke",
        "football",
        "the barbecue",
        "dinner",
        "book club",
        "choir",
        "climbing",
        "the run",
        "board games",
        "pilates",
        "fishing",
        "golf",
        "painting class",
    ),
    "meal": ("dinner", "lunch", "brunch", "breakfast"),
    "object": (
        "keys",
        "umbrella",
        "charger",
        "jacket",
        "wallet",
        "laptop",
        "headphones",
        "glasses",
        "scarf",
        "bike lock",
        "lunchbox",
        "notebook",
        "sunglasses",
    ),
}
# Free words people add to chatter, so that real chatter rarely repeats exactly.
CHATTER_TAILS_EN = (
    "lol", "haha", "btw", "anyway", "seriously", "omg", "no rush", "if that works", "thx",
    "love you", "call me later", "sorry", "ugh", "yay", "fingers crossed", "ttyl", "cool",
    "the blue one please", "not the cheap one", "or whatever", "if you can", "my treat",
    "still raining here", "the cat says hi", "we can split it", "bring a jacket",
    "text me back", "no worries", "just saying", "I owe you one", "so excited",
)  # fmt: skip
GREETING_PARTS_EN = (
    ("Good morning", "Morning", "Hi", "Hey", "Hello", "Good evening", "gm", "Good night"),
    ("", " dear", " my friend", " everyone", " sis", " bro", " love", " {name}"),
    ("", ", hope you have a great day", ", how are you today?", ", did you sleep well?",
     ", have a wonderful day ahead", ", wishing you a blessed day", ", take care",
     ", stay safe", ", how was your day?", ", sweet dreams", ", enjoy your weekend"),
    ("", "", " 😊", " 🌞", " ❤️", "!", " 🙏"),
)  # fmt: skip
GREETINGS_EN = (
    "good morning", "gm", "good morning dear", "Good morning! Have a wonderful day ahead 😊",
    "good night", "hi", "hello", "how are you?", "ok", "lol", "thanks", "see you", "yes",
    "no problem", "Good morning my dear, have a nice day", "good night, sweet dreams",
    "Hello, how are you today?", "Hi dear, how was your day?", "haha", "ok thanks", "sure",
    "I miss you", "Good morning, did you sleep well?", "good evening", "have a nice weekend",
    "Hi, how are you doing today? I hope you are having a great day",
    "Good morning sunshine, wishing you a happy and blessed day",
)  # fmt: skip
CHATTER_SLOTS_ZH: dict[str, tuple[str, ...]] = {
    "time": ("上午", "下午", "中午", "晚上", "下班后", "放学后", "吃完饭"),
    "place": (
        "超市",
        "公园",
        "医院",
        "公司",
        "学校",
        "商场",
        "健身房",
        "图书馆",
        "菜市场",
        "电影院",
        "火车站",
        "银行",
        "书店",
        "小区门口",
        "奶茶店",
        "游泳馆",
        "理发店",
        "邮局",
    ),
    "adj": (
        "挺好的",
        "人太多了",
        "很累",
        "特别开心",
        "一般般",
        "还不错",
        "笑死我了",
        "太无聊了",
        "超级好看",
    ),
    "day": ("明天", "周末", "周六", "今晚", "下周", "后天", "周日", "月底"),
    "food": (
        "饺子",
        "火锅",
        "面条",
        "水果",
        "牛奶",
        "鸡蛋",
        "面包",
        "米饭",
        "烤鸭",
        "西瓜",
        "包子",
        "酸奶",
        "青菜",
        "排骨",
        "馒头",
        "蛋糕",
        "奶茶",
    ),
    "person": (
        "妈妈",
        "爸爸",
        "姐姐",
        "哥哥",
        "奶奶",
        "老板",
        "同事",
        "表弟",
        "舅妈",
        "邻居",
        "班主任",
        "室友",
        "小姨",
        "爷爷",
    ),
    "thing": ("电影", "比赛", "演唱会", "电视剧", "晚会", "展览", "话剧", "球赛", "综艺"),
    "n": ("5", "10", "15", "20"),
    "object": ("钥匙", "雨伞", "充电器", "外套", "钱包", "耳机", "眼镜", "身份证", "水杯"),
}
GREETINGS_ZH = (
    "早上好", "你好", "好的", "哈哈", "晚安", "吃了吗", "在吗", "谢谢", "收到", "嗯嗯", "早安，祝你今天开心",
    "早上好，今天天气不错", "晚安，做个好梦", "你好，最近怎么样？", "好的，没问题", "想你了",
)  # fmt: skip

# Benign templates: machine or forwarded texts that really are near-duplicates of each other.
# They get their own labels: clustering them is right, merging them with a scam is wrong.
BENIGN_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("otp-en", "Your verification code is {code}. Do not share this code with anyone. It "
     "expires in 10 minutes."),
    ("parcel-en", "Your package {code} has been shipped and will arrive on {day}. Track your "
     "delivery at {url}"),
    ("card-en", "Your card ending {code4} was charged {amount} at {merchant}. If this was not "
     "you, call the number on the back of your card."),
    ("appointment-en", "Reminder: your appointment with Dr {name} is on {day} at {hour}. Reply C "
     "to confirm or R to reschedule."),
    ("chain-en", "Forward this message to ten friends and you will have good luck for the whole "
     "year! Do not break the chain, it has been going around the world since 1998."),
    ("warning-en", "Police warning: scammers may ask you to pay a tax or a fee before you can "
     "withdraw your crypto. A real exchange never asks this. Never send money to unlock a "
     "withdrawal."),
    ("otp-zh", "您的验证码是{code}，5分钟内有效，请勿泄露给他人。如非本人操作，请忽略本短信。"),
    ("bank-zh", "您尾号{code4}的账户于{day}支出{amount}，余额请登录手机银行查询，如有疑问请致电客服。"),
    ("warning-zh", "反诈提醒：凡是要求先交税费、保证金才能提现的投资平台都是诈骗，请立即停止转账并拨打96110咨询。"),
)  # fmt: skip
MERCHANTS = ("Walmart", "Target", "Amazon", "Starbucks", "Shell", "Costco", "Uber")


# A small grammar for everyday chatter: sentences share their structure (the skeleton) but
# not their content, which is the hard case for a skeleton channel.
GRAMMAR_EN: dict[str, tuple[str, ...]] = {
    "S": (
        "{subj} {be} {going} to the {place} {with} {when}.",
        "{subj} {be} {going} to {act} {when}.",
        "Can you {req} {obj} {when}?",
        "Did you {see} the {thing} {past}? It was {adj}.",
        "The {thing} {past} was {adj}, {comment}.",
        "{subj} {be} stuck at the {place}, {comment}.",
        "Do you want to {act} {with} {when}?",
        "I forgot my {object} at the {place} {past}.",
        "{who} just called about the {thing}, {comment}.",
        "We need {food} and {food} for {event} {when}.",
        "{common}",
    ),
    "subj": (
        "I",
        "We",
        "My sister",
        "My dad",
        "The kids",
        "Mom",
        "Grandma",
        "My roommate",
        "Tom",
        "Our neighbour",
        "My boss",
        "The twins",
        "My cousin",
        "Everyone",
    ),
    "be": ("am", "are", "is", "was", "will be"),
    "going": ("going", "driving", "walking", "heading", "taking the bus", "cycling", "running"),
    "place": CHATTER_SLOTS_EN["place"],
    "with": (
        "with my sister",
        "with the kids",
        "with a friend",
        "alone",
        "with grandma",
        "with the dog",
        "with my coworkers",
        "with the neighbours",
        "",
        "",
    ),
    "when": (
        "after work",
        "before lunch",
        "tonight",
        "tomorrow morning",
        "on Saturday",
        "later",
        "at six",
        "this weekend",
        "right now",
        "in an hour",
        "next week",
        "",
    ),
    "act": CHATTER_SLOTS_EN["activity"]
    + (
        "watch a movie",
        "get pizza",
        "see the lights",
        "fix the fence",
        "paint the kitchen",
        "clean the garage",
        "walk the dog",
    ),
    "req": ("pick up", "bring", "grab", "order", "return", "check on", "look for", "buy"),
    "obj": (
        "the groceries",
        "some bread",
        "my package",
        "the charger",
        "the tickets",
        "a pizza",
        "the kids",
        "my glasses",
        "the dog food",
        "some batteries",
        "the library books",
        "a birthday card",
        "the laundry",
    ),
    "see": ("see", "watch", "hear about", "catch", "read about"),
    "thing": CHATTER_SLOTS_EN["thing"],
    "past": ("yesterday", "last night", "this morning", "on Sunday", "last week", "earlier"),
    "adj": CHATTER_SLOTS_EN["adj"],
    "comment": (
        "so annoying",
        "can't wait",
        "no idea why",
        "typical",
        "what a day",
        "I'll explain later",
        "call me",
        "fingers crossed",
        "long story",
        "not again",
        "love it",
        "so glad",
    ),
    "object": CHATTER_SLOTS_EN["object"],
    "who": (
        "The dentist",
        "Your mom",
        "The landlord",
        "Coach",
        "The school",
        "Auntie May",
        "The plumber",
        "Your brother",
    ),
    "food": CHATTER_SLOTS_EN["food"],
    "event": (
        "the party",
        "the picnic",
        "dinner",
        "the barbecue",
        "movie night",
        "the bake sale",
        "book club",
    ),
    "common": (
        "Let me know when you get home safely.",
        "Running late, sorry!",
        "Call me when you can.",
        "Thanks so much!",
        "See you soon.",
        "Happy birthday, have a great day!",
        "Miss you guys.",
        "On my way.",
        "Can't talk now, in a meeting.",
        "Sounds good to me.",
    ),
}
GRAMMAR_ZH: dict[str, tuple[str, ...]] = {
    "S": (
        "{subj}{when}要去{place}{purpose}。",
        "你{when}有空吗？我们一起去{place}{purpose}吧。",
        "{subj}把{object}忘在{place}了，{comment}。",
        "{when}的{thing}{adj}，{comment}。",
        "记得买{food}和{food}，{event}要用。",
        "{who}刚才打电话说{thing}的事，{comment}。",
        "{subj}在{place}等你，{comment}。",
        "{common}",
    ),
    "subj": (
        "我",
        "我们",
        "妈妈",
        "爸爸",
        "姐姐",
        "孩子们",
        "奶奶",
        "室友",
        "老板",
        "邻居",
        "表哥",
    ),
    "when": ("明天", "今晚", "周末", "下午", "下班后", "一会儿", "后天", "周六上午", "月底"),
    "place": CHATTER_SLOTS_ZH["place"],
    "purpose": ("买点东西", "办点事", "看看", "接孩子", "取快递", "吃饭", "散散步", "拿东西", ""),
    "object": CHATTER_SLOTS_ZH["object"],
    "comment": (
        "真烦人",
        "等你回复",
        "不着急",
        "回头再说",
        "笑死了",
        "好累啊",
        "你别担心",
        "又来了",
    ),
    "thing": CHATTER_SLOTS_ZH["thing"],
    "adj": CHATTER_SLOTS_ZH["adj"],
    "food": CHATTER_SLOTS_ZH["food"],
    "event": ("聚餐", "生日会", "野餐", "家庭聚会", "年夜饭"),
    "who": ("班主任", "房东", "快递员", "舅妈", "医生", "物业"),
    "common": (
        "到家了说一声。",
        "路上注意安全。",
        "我先忙了，晚点聊。",
        "谢谢啦！",
        "好的，知道了。",
        "生日快乐！",
        "在开会，等下回你。",
    ),
}
# fmt: on
