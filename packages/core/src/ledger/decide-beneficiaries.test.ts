import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { DomainError } from "../errors.ts";
import { type BeneficiaryRecord, beneficiaryOf, beneficiaryRef, evolveBeneficiary } from "./beneficiary.ts";
import type { Command, CommandOf } from "./commands.ts";
import type { Decided } from "./decision.ts";
import type { MemoryLedger } from "./memory-ledger.ts";
import {
  accepted,
  BOOK,
  decideOn,
  given,
  hardshipFile,
  household,
  openBook,
  recorded,
  recordOf,
  refused as refusedInState,
  student,
  TODAY,
  textileMill,
} from "./scenario.test-support.ts";

// Given these commands, when this command, then these events or this error, in memory.

/** Then this error, and no beneficiary record written either. */
const refused = (ledger: MemoryLedger, command: Command): DomainError => {
  const entities = new Map(ledger.entities);
  const error = refusedInState(ledger, command);
  expect(ledger.entities).toEqual(entities);
  return error;
};

/** The writes a decision asks for are the records evolveBeneficiary folds from its events. */
const expectWritesFollowEvolve = (ledger: MemoryLedger, decision: Decided) => {
  const folded = new Map<string, BeneficiaryRecord | undefined>();
  for (const event of decision.events) {
    const id = event.payload.beneficiaryId as string;
    const before = folded.has(id) ? folded.get(id) : recordOf(ledger, id);
    folded.set(id, evolveBeneficiary(before, { ...event, book: BOOK }, "CNY"));
  }
  expect(decision.writes).toEqual([...folded].map(([id, value]) => ({ ref: beneficiaryRef(id), value })));
};

/** The keyed hash of a national ID number, as the API makes it; the number itself is never stored. */
const idHash = (idNumber: string) => createHmac("sha256", "bazhou-book-secret").update(idNumber).digest("hex");

const wang = household("hh-wang-guilan", "王桂兰", { idNumberHash: idHash("513701196503120047") });
const xiaoyu = student("st-wang-xiaoyu", "王小雨", "hh-wang-guilan", { tags: ["高中", "巴中中学"], on: "2010-08-10" });
const fileFor = (beneficiaryId: string, extra: Partial<CommandOf<"open-hardship-file">> = {}): Command =>
  hardshipFile(beneficiaryId, { cause: "下岗失业，丈夫患尿毒症", openedOn: "2010-01-10", ...extra });

describe("registering beneficiaries", () => {
  it("registers a household without an ID number, claiming nothing", () => {
    const ledger = given(openBook, textileMill);
    const decision = accepted(decideOn(ledger, household("hh-li-deming", "李德明")));
    expect(decision.events).toEqual([
      {
        type: "BeneficiaryRegistered",
        occurredOn: "2010-01-05",
        payload: { beneficiaryId: "hh-li-deming", kind: "household", name: "李德明", unitId: "zhongxin-textile" },
      },
    ]);
    expect(decision.claims).toEqual([]);
  });

  it("claims the keyed hash of the ID number for the new beneficiary", () => {
    const ledger = given(openBook, textileMill);
    const decision = accepted(decideOn(ledger, wang));
    expect(decision.events[0]?.payload).toMatchObject({ idNumberHash: idHash("513701196503120047") });
    expect(decision.claims).toMatchObject([
      { kind: "id-number", value: idHash("513701196503120047"), owner: "hh-wang-guilan" },
    ]);
    expect(decision.claims[0]?.onTaken("hh-someone-else")).toMatchObject({
      code: "id-number-registered",
      existingBeneficiaryId: "hh-someone-else",
    });
  });

  it("refuses a second registration of one ID number, naming the beneficiary who has it", () => {
    const ledger = given(openBook, textileMill, wang);
    const again = household("hh-wang-guilan-2", "王桂兰", { idNumberHash: wang.idNumberHash });
    expect(refused(ledger, again)).toMatchObject({
      code: "id-number-registered",
      existingBeneficiaryId: "hh-wang-guilan",
    });
    expect(recordOf(ledger, "hh-wang-guilan-2")).toBeUndefined();
    // A different number is a different person.
    recorded(ledger, household("hh-wang-guilan-2", "王桂兰", { idNumberHash: idHash("513701197002280013") }));
  });

  it("refuses a beneficiary id that is already registered", () => {
    const ledger = given(openBook, textileMill, household("hh-li-deming", "李德明"));
    expect(refused(ledger, household("hh-li-deming", "李德明"))).toMatchObject({
      code: "beneficiary-exists",
      beneficiaryId: "hh-li-deming",
    });
  });

  it("refuses a beneficiary of a unit the book does not have", () => {
    const ledger = given(openBook, textileMill);
    expect(refused(ledger, household("hh-zhang-xiuying", "张秀英", { unitId: "huifeng-sanitation" }))).toMatchObject({
      code: "unit-not-found",
      unitId: "huifeng-sanitation",
    });
  });

  it("refuses a student whose household is not registered", () => {
    const ledger = given(openBook, textileMill);
    expect(refused(ledger, xiaoyu)).toMatchObject({ code: "beneficiary-not-found", beneficiaryId: "hh-wang-guilan" });
  });

  it("registers a student under a registered household, with tags", () => {
    const ledger = given(openBook, textileMill, wang);
    expect(recorded(ledger, xiaoyu)).toMatchObject([
      {
        type: "BeneficiaryRegistered",
        occurredOn: "2010-08-10",
        payload: {
          beneficiaryId: "st-wang-xiaoyu",
          kind: "student",
          name: "王小雨",
          householdId: "hh-wang-guilan",
          tags: ["高中", "巴中中学"],
        },
      },
    ]);
  });

  it("writes the beneficiary's record as evolveBeneficiary makes it from the event", () => {
    const ledger = given(openBook, textileMill);
    const decision = accepted(decideOn(ledger, wang));
    expectWritesFollowEvolve(ledger, decision);
    expect(decision.writes).toEqual([
      {
        ref: "beneficiary/hh-wang-guilan",
        value: {
          id: "hh-wang-guilan",
          kind: "household",
          name: "王桂兰",
          idNumberHash: idHash("513701196503120047"),
          unitId: "zhongxin-textile",
          registeredOn: "2010-01-05",
          files: [],
          totals: {},
        },
      },
    ]);
    recorded(ledger, wang);
    expect(recordOf(ledger, "hh-wang-guilan")).toEqual(decision.writes[0]?.value);
  });

  it("files a registration under today unless it names its date", () => {
    const ledger = given(openBook, textileMill);
    const { on: _, ...undated } = household("hh-chen-guoqiang", "陈国强");
    expect(recorded(ledger, undated)).toMatchObject([{ occurredOn: TODAY }]);
    expect(recordOf(ledger, "hh-chen-guoqiang")?.registeredOn).toBe(TODAY);
  });
});

describe("hardship files (困难职工档案)", () => {
  const registered = () => given(openBook, textileMill, wang);

  it("opens a hardship file on the beneficiary's record", () => {
    const ledger = registered();
    const decision = accepted(decideOn(ledger, fileFor("hh-wang-guilan")));
    expect(decision.events).toEqual([
      {
        type: "HardshipFileOpened",
        occurredOn: "2010-01-10",
        payload: {
          beneficiaryId: "hh-wang-guilan",
          tier: "deep",
          cause: "下岗失业，丈夫患尿毒症",
          openedOn: "2010-01-10",
          validUntil: "2010-12-31",
        },
      },
    ]);
    expectWritesFollowEvolve(ledger, decision);
    recorded(ledger, fileFor("hh-wang-guilan"));
    expect(recordOf(ledger, "hh-wang-guilan")?.files).toEqual([
      { tier: "deep", cause: "下岗失业，丈夫患尿毒症", openedOn: "2010-01-10", validUntil: "2010-12-31" },
    ]);
  });

  it("a review extends the file's validity and may change its tier", () => {
    const ledger = given(openBook, textileMill, wang, fileFor("hh-wang-guilan"));
    const review: Command = {
      type: "review-hardship-file",
      beneficiaryId: "hh-wang-guilan",
      reviewedOn: "2010-12-15",
      validUntil: "2011-12-31",
      tier: "relative",
      note: "丈夫已做肾移植，仍需长期服药",
    };
    const decision = accepted(decideOn(ledger, review));
    expectWritesFollowEvolve(ledger, decision);
    expect(recorded(ledger, review)).toMatchObject([
      { type: "HardshipFileReviewed", occurredOn: "2010-12-15", payload: { note: "丈夫已做肾移植，仍需长期服药" } },
    ]);
    expect(recordOf(ledger, "hh-wang-guilan")?.files).toEqual([
      {
        tier: "relative",
        cause: "下岗失业，丈夫患尿毒症",
        openedOn: "2010-01-10",
        validUntil: "2011-12-31",
        reviewedOn: "2010-12-15",
      },
    ]);
  });

  it("a review that names no tier keeps the file's tier", () => {
    const ledger = given(openBook, textileMill, wang, fileFor("hh-wang-guilan"), {
      type: "review-hardship-file",
      beneficiaryId: "hh-wang-guilan",
      reviewedOn: "2010-12-15",
      validUntil: "2011-06-30",
    });
    expect(recordOf(ledger, "hh-wang-guilan")?.files[0]).toMatchObject({ tier: "deep", validUntil: "2011-06-30" });
  });

  it("closing keeps the file with its date and reason, and a new file may then be opened", () => {
    const ledger = given(openBook, textileMill, wang, fileFor("hh-wang-guilan"));
    const close: Command = {
      type: "close-hardship-file",
      beneficiaryId: "hh-wang-guilan",
      closedOn: "2010-06-30",
      reason: "已在中兴纺织厂再就业",
    };
    expectWritesFollowEvolve(ledger, accepted(decideOn(ledger, close)));
    expect(recorded(ledger, close)).toMatchObject([{ type: "HardshipFileClosed", occurredOn: "2010-06-30" }]);
    recorded(ledger, fileFor("hh-wang-guilan", { tier: "accidental", cause: "工伤致残", openedOn: "2010-11-02" }));
    expect(recordOf(ledger, "hh-wang-guilan")?.files).toEqual([
      {
        tier: "deep",
        cause: "下岗失业，丈夫患尿毒症",
        openedOn: "2010-01-10",
        validUntil: "2010-12-31",
        closedOn: "2010-06-30",
        closeReason: "已在中兴纺织厂再就业",
      },
      { tier: "accidental", cause: "工伤致残", openedOn: "2010-11-02", validUntil: "2010-12-31" },
    ]);
  });

  it("refuses a second file while one is open", () => {
    const ledger = given(openBook, textileMill, wang, fileFor("hh-wang-guilan"));
    expect(refused(ledger, fileFor("hh-wang-guilan", { openedOn: "2010-03-01" }))).toMatchObject({
      code: "hardship-file-open",
      beneficiaryId: "hh-wang-guilan",
    });
  });

  it("refuses to review or close when no file is open", () => {
    const review: Command = {
      type: "review-hardship-file",
      beneficiaryId: "hh-wang-guilan",
      reviewedOn: "2010-12-15",
      validUntil: "2011-12-31",
    };
    const close: Command = {
      type: "close-hardship-file",
      beneficiaryId: "hh-wang-guilan",
      closedOn: "2010-12-15",
      reason: "复核不符",
    };
    const never = registered();
    expect(refused(never, review)).toMatchObject({ code: "hardship-file-not-open", beneficiaryId: "hh-wang-guilan" });
    expect(refused(never, close)).toMatchObject({ code: "hardship-file-not-open" });
    const closed = given(openBook, textileMill, wang, fileFor("hh-wang-guilan"), {
      ...close,
      closedOn: "2010-06-30",
    } as Command);
    expect(refused(closed, review)).toMatchObject({ code: "hardship-file-not-open" });
    expect(refused(closed, close)).toMatchObject({ code: "hardship-file-not-open" });
  });

  it("refuses a file valid until a date before it opens; one day is enough", () => {
    const ledger = registered();
    expect(
      refused(ledger, fileFor("hh-wang-guilan", { openedOn: "2010-03-01", validUntil: "2010-02-28" })),
    ).toMatchObject({
      code: "invalid-date-range",
      from: "2010-03-01",
      to: "2010-02-28",
    });
    recorded(ledger, fileFor("hh-wang-guilan", { openedOn: "2010-03-01", validUntil: "2010-03-01" }));
  });

  it("refuses a review dated before the file opened or ending before it is made", () => {
    const ledger = given(openBook, textileMill, wang, fileFor("hh-wang-guilan"));
    const review = (reviewedOn: string, validUntil: string): Command => ({
      type: "review-hardship-file",
      beneficiaryId: "hh-wang-guilan",
      reviewedOn,
      validUntil,
    });
    expect(refused(ledger, review("2010-01-09", "2011-12-31"))).toMatchObject({ code: "invalid-date-range" });
    expect(refused(ledger, review("2010-12-15", "2010-12-14"))).toMatchObject({
      code: "invalid-date-range",
      from: "2010-12-15",
      to: "2010-12-14",
    });
    // A review valid only through its own day is allowed, as is one on the day the file opened.
    recorded(ledger, review("2010-12-15", "2010-12-15"));
    recorded(ledger, review("2010-12-15", "2011-12-31"));
    expect(recordOf(ledger, "hh-wang-guilan")?.files[0]).toMatchObject({
      openedOn: "2010-01-10",
      reviewedOn: "2010-12-15",
      validUntil: "2011-12-31",
    });
  });

  it("refuses to close a file before it opened", () => {
    const ledger = given(openBook, textileMill, wang, fileFor("hh-wang-guilan"));
    expect(
      refused(ledger, {
        type: "close-hardship-file",
        beneficiaryId: "hh-wang-guilan",
        closedOn: "2010-01-09",
        reason: "录入错误",
      }),
    ).toMatchObject({ code: "invalid-date-range", from: "2010-01-10", to: "2010-01-09" });
  });

  it("refuses files for a beneficiary the book does not have", () => {
    const ledger = registered();
    expect(refused(ledger, fileFor("hh-zhao-jianhua"))).toMatchObject({
      code: "beneficiary-not-found",
      beneficiaryId: "hh-zhao-jianhua",
    });
    expect(
      refused(ledger, {
        type: "review-hardship-file",
        beneficiaryId: "hh-zhao-jianhua",
        reviewedOn: "2010-12-15",
        validUntil: "2011-12-31",
      }),
    ).toMatchObject({ code: "beneficiary-not-found" });
    expect(
      refused(ledger, {
        type: "close-hardship-file",
        beneficiaryId: "hh-zhao-jianhua",
        closedOn: "2010-12-15",
        reason: "无",
      }),
    ).toMatchObject({ code: "beneficiary-not-found" });
  });
});

describe("a beneficiary's record, folded from events", () => {
  const on = "2010-06-01";
  const fact = (type: string, payload: Record<string, unknown>) => ({
    type,
    book: BOOK,
    occurredOn: on,
    payload: payload as never,
  });
  const postings = [
    { account: "fund:warmth", amount: "800.00" },
    { account: "beneficiary:hh-wang-guilan", amount: "-800.00" },
  ];
  const undo = {
    entrySeq: 12,
    entryOccurredOn: "2010-01-20",
    reason: "重复发放",
    beneficiaryId: "hh-wang-guilan",
    amount: "800.00",
    postings,
  };

  it("builds no record from a later event about a beneficiary it does not have", () => {
    const events = [
      fact("HardshipFileOpened", {
        beneficiaryId: "hh-wang-guilan",
        tier: "deep",
        cause: "下岗",
        openedOn: on,
        validUntil: "2010-12-31",
      }),
      fact("HardshipFileReviewed", { beneficiaryId: "hh-wang-guilan", reviewedOn: on, validUntil: "2011-12-31" }),
      fact("HardshipFileClosed", { beneficiaryId: "hh-wang-guilan", closedOn: on, reason: "已再就业" }),
      fact("PayoutRecorded", {
        programId: "winter-warmth",
        fundId: "warmth",
        beneficiaryId: "hh-wang-guilan",
        amount: "800.00",
        postings: [
          { account: "fund:warmth", amount: "-800.00" },
          { account: "beneficiary:hh-wang-guilan", amount: "800.00" },
        ],
      }),
      fact("EntryReversed", { ...undo, entryType: "PayoutRecorded", programId: "winter-warmth" }),
      fact("PayoutReturned", { ...undo, programId: "winter-warmth" }),
    ];
    for (const event of events) expect(evolveBeneficiary(undefined, event, "CNY"), event.type).toBeUndefined();
  });

  it("frees no programme's totals when an undo names no programme", () => {
    const ledger = given(openBook, textileMill, wang);
    const record = recordOf(ledger, "hh-wang-guilan") as BeneficiaryRecord;
    const reversal = fact("EntryReversed", { ...undo, entryType: "TransferRecorded" });
    expect(evolveBeneficiary(record, reversal, "CNY")).toBe(record);
  });

  it("is left alone by an event that does not concern beneficiaries", () => {
    const ledger = given(openBook, textileMill, wang);
    const record = recordOf(ledger, "hh-wang-guilan") as BeneficiaryRecord;
    const unitAdded = ledger.entry(2);
    if (!unitAdded) throw new Error("no entry 2");
    expect(unitAdded.type).toBe("UnitAdded");
    expect(evolveBeneficiary(record, unitAdded, "CNY")).toBe(record);
  });

  it("concerns only the beneficiary an event names by id", () => {
    expect(beneficiaryOf({ type: "PayoutRecorded", payload: { beneficiaryId: "hh-wang-guilan" } })).toBe(
      "hh-wang-guilan",
    );
    expect(beneficiaryOf({ type: "PayoutRecorded", payload: { beneficiaryId: 7 } })).toBeUndefined();
    expect(beneficiaryOf({ type: "FundOpened", payload: { fundId: "warmth" } })).toBeUndefined();
  });
});
