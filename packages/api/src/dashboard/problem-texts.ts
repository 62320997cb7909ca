import type { ProblemCode } from "../problem.ts";

/**
 * What the dashboard says when the API refuses a read: a title and a detail of its own, in the
 * reader's language, chosen by the problem's stable `type` code (the API's own title and detail are
 * English). A detail is a template over the problem's extension members (`{fundId}`, `{seq}`, …);
 * where a code has several, the first whose members are all present is used, and with none a
 * problem shows its title only. `text` in backquotes is shown as code. Only a code not in this
 * table (from a newer API) is shown with the API's own words.
 */
export type Text = readonly [title: string, ...details: string[]];

export const PROBLEM_TEXTS: Record<ProblemCode, readonly [zh: Text, en: Text]> = {
  "validation-failed": [
    ["请求无效", "{errors} 的取值无效。"],
    ["The request is not valid", "The value of {errors} is not valid."],
  ],
  "malformed-json": [["请求内容格式错误"], ["The body is not valid JSON"]],
  "invalid-amount": [
    ["金额无效", "{errors}：{reason}。", "{reason}。"],
    ["The amount is not valid", "{errors}: {reason}.", "{reason}."],
  ],
  "invalid-date-range": [
    ["日期范围颠倒", "起始日期 {from} 晚于截止日期 {to}。"],
    ["The dates are out of order", "{from} is after {to}."],
  ],
  "idempotency-key-required": [
    ["缺少幂等键", "写入请求须带 `Idempotency-Key` 请求头。"],
    ["An idempotency key is required", "A write must send an `Idempotency-Key` header."],
  ],
  "batch-too-large": [
    ["批量发放行数过多", "共 {lines} 行，上限 {limit} 行。"],
    ["The batch has too many lines", "{lines} lines, at most {limit}."],
  ],
  unauthorized: [
    ["未通过身份验证", "访问令牌缺失、无效或已过期，请重新登录。"],
    ["Authentication required", "The access token is missing, not valid or expired: sign in again."],
  ],
  forbidden: [
    ["无权访问", "此令牌不能访问账簿 {book}。", "此角色无权进行这项操作。"],
    ["Not allowed", "This token does not reach book {book}.", "This role may not do this."],
  ],
  "not-found": [
    [
      "未找到",
      "账簿中没有受助人 {beneficiaryId}。",
      "账簿中没有资金 {fundId}。",
      "{period} 尚未月结，没有保存的月度汇总。",
      "没有这个页面：{path}。",
    ],
    [
      "Not found",
      "The book has no beneficiary {beneficiaryId}.",
      "The book has no fund {fundId}.",
      "{period} is not closed: it has no stored rollup.",
      "There is no such page: {path}.",
    ],
  ],
  "book-not-found": [
    ["未找到账簿", "没有账簿 {book}。"],
    ["No such book", "There is no book {book}."],
  ],
  "entry-not-found": [
    ["未找到记录", "账簿中没有第 {seq} 条记录。"],
    ["No such entry", "The book has no entry {seq}."],
  ],
  "read-only": [["此接口只读"], ["This endpoint only reads"]],
  "export-too-large": [
    ["导出内容过大", "请从导出地址下载。"],
    ["The export is too large for this endpoint", "Download it from the exports address."],
  ],
  "payload-too-large": [["请求内容过大"], ["The body is too large"]],
  "unsupported-media-type": [
    ["请求内容类型错误", "须为 `application/json`。"],
    ["The body must be JSON", "Send it as `application/json`."],
  ],
  "fund-not-found": [
    ["未找到资金", "没有资金 {fundId}。"],
    ["No such fund", "There is no fund {fundId}."],
  ],
  "unit-not-found": [
    ["未找到单位", "没有单位 {unitId}。"],
    ["No such unit", "There is no unit {unitId}."],
  ],
  "program-not-found": [
    ["未找到项目", "没有项目 {programId}。"],
    ["No such programme", "There is no programme {programId}."],
  ],
  "beneficiary-not-found": [
    ["未找到受助人", "没有受助人 {beneficiaryId}。"],
    ["No such beneficiary", "There is no beneficiary {beneficiaryId}."],
  ],
  "unbalanced-postings": [
    ["分录不平衡", "各分录金额合计不为零。"],
    ["The postings do not balance", "The postings' amounts do not sum to zero."],
  ],
  "currency-mismatch": [
    ["币种不符", "账簿记账币种为 {bookCurrency}，请求为 {currency}。"],
    ["The book keeps another currency", "The book keeps {bookCurrency}, not {currency}."],
  ],
  "future-date": [
    ["日期晚于今天", "{on} 晚于今天（{today}）。"],
    ["The date is in the future", "{on} is after today ({today})."],
  ],
  "before-book-opened": [
    ["日期早于建账日期", "{on} 早于账簿开设日期 {openedOn}。"],
    ["The date is before the book was opened", "{on} is before the book opened on {openedOn}."],
  ],
  "import-invalid": [
    ["名册有无效行", "共 {invalid} 行无效，未记录任何内容。"],
    ["Rows of the roster are not valid", "{invalid} rows are not valid; nothing was recorded."],
  ],
  "import-too-large": [
    ["名册行数过多", "名册有 {rows} 行，最多 {limit} 行。"],
    ["The roster has too many rows", "It has {rows} rows; the limit is {limit}."],
  ],
  "import-refused": [
    ["名册无一行可记录", "各行均与已在册的档案冲突。"],
    ["No row of the roster could be recorded", "Every row conflicts with what is on file."],
  ],
  "batch-refused": [
    ["批量发放无一行可记录", "{refused} 行均未通过检查，未记录任何内容。"],
    ["No line of the batch could be recorded", "None of its {refused} lines passed its checks; nothing was recorded."],
  ],
  "duplicate-fund": [
    ["同一资金列出两次", "资金 {fundId} 在期初余额中出现了两次。"],
    ["A fund is listed twice", "Fund {fundId} appears twice in the opening balances."],
  ],
  "annual-report-required": [
    ["年终结账须冻结年度报表", "{period} 的结账：只有12月的结账冻结年度报表，且必须冻结。"],
    [
      "A year's close freezes its annual report",
      "Closing {period}: a December's close, and only it, freezes the annual report.",
    ],
  ],
  "opening-balances-recorded": [
    ["期初余额已经建账", "本账簿的期初余额已记入第 {seq} 条记录，不能再次建账。"],
    ["The opening balances are already recorded", "The book's opening balances were brought forward in entry {seq}."],
  ],
  "opening-balances-too-late": [
    ["已有资金业务，不能再建期初余额", "期初余额须在本账簿任何资金收支之前记录（期初日期 {asOf}）。"],
    [
      "Money has already moved in this book",
      "Opening balances come before any other money entry of the book (as of {asOf}).",
    ],
  ],
  "same-fund": [
    ["调出与调入为同一资金", "资金 {fundId}。"],
    ["A transfer needs two different funds", "Both sides are fund {fundId}."],
  ],
  "entry-not-reversible": [
    ["此记录不能这样撤销", "第 {seq} 条记录（{entryType}）不能这样冲销或退回。"],
    ["The entry cannot be undone this way", "Entry {seq} ({entryType}) cannot be undone this way."],
  ],
  "method-not-allowed": [
    ["项目不支持此发放方式", "项目 {programId} 不以“{method}”发放，只接受：{allowed}。"],
    ["The programme does not pay this way", "Programme {programId} does not pay by {method}, only by {allowed}."],
  ],
  "related-entry-not-found": [
    ["相关记录不存在", "没有第 {seq} 条记录（账簿最新为第 {headSeq} 条）。"],
    ["A related journal entry does not exist", "There is no entry {seq} (the head is {headSeq})."],
  ],
  "audit-not-found": [
    ["未找到审计", "没有审计 {auditId}。"],
    ["No such audit", "There is no audit {auditId}."],
  ],
  "audit-unit-mismatch": [
    ["审计对象为其他单位", "审计 {auditId} 的对象是 {auditUnitId}，不是 {unitId}。"],
    ["The audit is of another unit", "Audit {auditId} is of {auditUnitId}, not {unitId}."],
  ],
  "finding-not-found": [
    ["未找到审计发现", "没有审计发现 {findingId}。"],
    ["No such finding", "There is no finding {findingId}."],
  ],
  "book-exists": [
    ["账簿已存在", "账簿 {book} 已存在。"],
    ["The book already exists", "Book {book} already exists."],
  ],
  "fund-exists": [
    ["资金已存在", "资金 {fundId} 已存在。"],
    ["The fund already exists", "Fund {fundId} already exists."],
  ],
  "unit-exists": [
    ["单位已存在", "单位 {unitId} 已存在。"],
    ["The unit already exists", "Unit {unitId} already exists."],
  ],
  "program-exists": [
    ["项目已存在", "项目 {programId} 已存在。"],
    ["The programme already exists", "Programme {programId} already exists."],
  ],
  "program-closed": [
    ["项目已关闭", "项目 {programId} 已关闭，不再发放。"],
    ["The programme is closed", "Programme {programId} pays nothing more."],
  ],
  "beneficiary-exists": [
    ["受助人已存在", "受助人 {beneficiaryId} 已存在。"],
    ["The beneficiary already exists", "Beneficiary {beneficiaryId} already exists."],
  ],
  "id-number-registered": [
    ["身份证号已登记", "已登记为受助人 {existingBeneficiaryId}。"],
    ["The ID number is already registered", "It is registered as beneficiary {existingBeneficiaryId}."],
  ],
  "hardship-file-open": [
    ["困难档案已建立", "受助人 {beneficiaryId} 已有未注销的困难档案。"],
    ["A hardship file is already open", "Beneficiary {beneficiaryId} has an open hardship file."],
  ],
  "hardship-file-not-open": [
    ["没有未注销的困难档案", "受助人 {beneficiaryId} 没有未注销的困难档案。"],
    ["No hardship file is open", "Beneficiary {beneficiaryId} has no open hardship file."],
  ],
  "hardship-file-required": [
    ["须有困难档案", "项目 {programId} 只向建档困难职工发放；受助人 {beneficiaryId} 在 {on} 没有有效档案。"],
    [
      "The programme pays only beneficiaries with an open hardship file",
      "Beneficiary {beneficiaryId} had no open hardship file on {on}, which programme {programId} requires.",
    ],
  ],
  "cap-exceeded": [
    ["超出发放上限", "超出项目 {programId} 的{cap}（{limit}）。"],
    ["The payment exceeds the programme's cap", "It exceeds {cap} of programme {programId} ({limit})."],
  ],
  // With proposals pending, what they hold is named; a reserved of zero reads as absent (problems.ts).
  "budget-exceeded": [
    [
      "超出项目预算",
      "项目 {programId} 预算 {budget}，已发放 {paid}，待审批申请占用 {reserved}，本次 {requested}。",
      "项目 {programId} 预算 {budget}，已发放 {paid}，本次 {requested}。",
    ],
    [
      "The payment exceeds the programme's budget",
      "Programme {programId} has a budget of {budget}, has paid {paid}, has {reserved} proposed and awaiting approval, and was asked for {requested}.",
      "Programme {programId} has a budget of {budget}, has paid {paid} and was asked for {requested}.",
    ],
  ],
  "fund-overdrawn": [
    [
      "资金余额不足",
      "资金 {fundId} 余额 {balance}，其中待审批申请占用 {reserved}，可用 {available}；本次需 {requested}。",
      "资金 {fundId} 余额 {balance}，本次需 {requested}。",
    ],
    [
      "The fund would be overdrawn",
      "Fund {fundId} holds {balance}, of which {reserved} is reserved by proposals awaiting approval ({available} available); {requested} was asked for.",
      "Fund {fundId} holds {balance}; {requested} was asked for.",
    ],
  ],
  "proposal-not-found": [
    ["没有该申请", "本账簿没有申请 {proposalId}。"],
    ["No such proposal", "This book has no proposal {proposalId}."],
  ],
  "proposal-not-pending": [
    ["申请已不在待审批状态", "申请 {proposalId} 已{state}。"],
    ["The proposal is no longer pending", "Proposal {proposalId} is {state}."],
  ],
  "bank-statement-exists": [
    ["对账单已记录", "{fundId} {period} 已记录另一份对账单。"],
    ["A statement is recorded already", "Another statement of {fundId} for {period} is recorded."],
  ],
  "bank-statement-invalid": [
    ["对账单无效", "{errors} 的取值无效。"],
    ["The statement is not valid", "The value of {errors} is not valid."],
  ],
  "bank-account-mismatch": [
    ["对账单不是本基金账户的", "对账单账号尾号 {accountLast4}，{fundId} 的账户尾号 {linkedLast4}。"],
    [
      "The statement is of another account",
      "The statement's account ends in {accountLast4}; {fundId}'s account ends in {linkedLast4}.",
    ],
  ],
  "bank-statement-not-found": [
    ["没有对账单", "{fundId} {period} 尚无银行对账单。"],
    ["No bank statement", "No bank statement of {fundId} for {period}."],
  ],
  "bank-match-not-found": [
    ["该行未匹配", "{fundId} {period} 对账单第 {line} 行没有匹配。"],
    ["The line is not matched", "Line {line} of {fundId}'s {period} statement is not matched."],
  ],
  "bank-match-confirmed": [
    ["匹配已确认", "{fundId} {period} 对账单第 {line} 行已确认。"],
    ["The match is confirmed already", "Line {line} of {fundId}'s {period} statement is confirmed already."],
  ],
  "bank-account-not-found": [
    ["未登记银行账户", "受助人 {beneficiaryId} 没有登记银行账户。"],
    ["No bank account is on file", "Beneficiary {beneficiaryId} has no bank account on file."],
  ],
  "batch-not-found": [
    ["没有该批次", "本账簿没有批次 {batchId}。"],
    ["No such payout batch", "This book has no batch {batchId}."],
  ],
  "bank-file-incomplete": [
    ["有受助人缺少银行账户", "批次有 {missing} 行的受助人未登记银行账户，未生成代发文件。"],
    ["Lines of the batch lack a bank account", "{missing} lines have no bank account on file; no file was made."],
  ],
  "bank-results-invalid": [
    ["回盘文件有无效行", "共 {invalid} 行无效，未记录任何内容。"],
    ["Rows of the result file are not valid", "{invalid} rows are not valid; nothing was recorded."],
  ],
  "bank-statement-rows-invalid": [
    ["对账单文件有无效行", "共 {invalid} 行无效，未记录任何内容。"],
    ["Rows of the bank statement are not valid", "{invalid} rows are not valid; nothing was recorded."],
  ],
  "proposals-pending": [
    ["尚有待审批的申请", "{period} 有待审批的申请（{proposalIds}），审批或作废后才能月结。"],
    ["Proposals dated in the month await approval", "{period} has proposals awaiting approval: {proposalIds}."],
  ],
  "self-approval": [
    ["不得审批本人的申请", "申请 {proposalId} 由 {proposer} 提出，不能由本人审批。"],
    ["Nobody approves their own proposal", "Proposal {proposalId} was made by {proposer}, who may not approve it."],
  ],
  "already-approved": [
    ["已审批过该申请", "{approver} 已审批过申请 {proposalId}，须由另一人审批。"],
    ["The approver already approved this proposal", "{approver} already approved proposal {proposalId}."],
  ],
  "not-an-approver": [
    ["只有审批人可以审批", "{role} 不能审批或驳回申请 {proposalId}。"],
    ["Only an approver may approve or reject", "A {role} may not approve or reject proposal {proposalId}."],
  ],
  "not-the-proposer": [
    ["只有申请人可以撤回", "申请 {proposalId} 由 {proposer} 提出，只有本人可以撤回。"],
    [
      "Only the proposer may withdraw a proposal",
      "Proposal {proposalId} was made by {proposer}, who alone may withdraw it.",
    ],
  ],
  "period-closed": [
    ["该月已月结", "{on} 所在月份已月结（已月结至 {closedThrough}）。"],
    ["The period is closed", "The month of {on} is closed (closed through {closedThrough})."],
  ],
  "reversal-before-entry": [
    ["冲销日期早于原分录", "分录 #{seq} 的日期是 {entryOccurredOn}，其冲销不能记在 {on}。"],
    ["The reversal predates the entry", "Entry #{seq} is dated {entryOccurredOn}; its reversal cannot be dated {on}."],
  ],
  "entry-already-undone": [
    ["记录已被冲销或退回", "第 {seq} 条记录已被冲销或退回。"],
    ["The entry was already reversed or returned", "Entry {seq} was already reversed or returned."],
  ],
  "audit-exists": [
    ["审计已存在", "审计 {auditId} 已存在。"],
    ["The audit already exists", "Audit {auditId} already exists."],
  ],
  "audit-completed": [
    ["审计已完成", "审计 {auditId} 已于 {completedOn} 完成。"],
    ["The audit is already completed", "Audit {auditId} was completed on {completedOn}."],
  ],
  "finding-exists": [
    ["审计发现已存在", "审计发现 {findingId} 已存在。"],
    ["The finding already exists", "Finding {findingId} already exists."],
  ],
  "finding-resolved": [
    ["审计发现已处理", "审计发现 {findingId} 已于 {resolvedOn} 处理（{outcome}）。"],
    ["The finding is already resolved", "Finding {findingId} was resolved ({outcome}) on {resolvedOn}."],
  ],
  "finding-step-out-of-order": [
    ["审计发现尚未到此步骤", "审计发现 {findingId} 目前为“{findingStatus}”。"],
    ["The finding is not at a stage that allows this step", "Finding {findingId} is {findingStatus}."],
  ],
  "idempotency-key-reused": [
    ["幂等键已用于其他请求", "幂等键 {idempotencyKey} 已用于另一请求。"],
    ["The idempotency key was used for another request", "Key {idempotencyKey} was used for another request."],
  ],
  "period-out-of-order": [
    ["月份须依次月结", "下一个应月结的月份是 {next}，不是 {period}。"],
    ["Months close in order", "The next month to close is {next}, not {period}."],
  ],
  "period-not-over": [
    ["该月尚未结束", "{period} 尚未结束（今天是 {today}）。"],
    ["The month is not over", "{period} is not over (today is {today})."],
  ],
  "rollup-stale": [
    ["月度汇总已过时", "{period} 的汇总不再涵盖该月的记录，须重新汇总。"],
    ["The rollup is stale", "The rollup of {period} no longer covers the month's entries; fold it again."],
  ],
  "append-conflict": [
    ["账簿正忙", "请稍后重试。"],
    ["The book is busy", "Retry the request."],
  ],
  "database-unavailable": [
    ["数据库暂时无法连接", "请稍后重试。"],
    ["The database cannot be reached", "Retry shortly."],
  ],
  "deadline-exceeded": [
    ["请求超时", "请求用时过长，已停止；请缩小查询范围或稍后重试。"],
    ["The request took too long and was stopped", "Narrow the query or retry later."],
  ],
  internal: [
    ["内部错误", "服务出错，请稍后重试。"],
    ["Internal error", "Something went wrong on the server; retry later."],
  ],
};
