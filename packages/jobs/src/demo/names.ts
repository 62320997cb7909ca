import type { Random } from "./random.ts";

/**
 * Names as they are written in Bazhong: common Sichuan surnames (王, 李, 张 … and the local
 * 苟, 岳, 蒲, 冉), given names of one or two characters from syllables typical of the people's
 * generation. Repeated names are realistic; ids, not names, tell people apart.
 */
const SURNAMES = [
  ..."王王王李李李张张张刘刘陈陈杨杨赵黄周吴何何苟苟罗岳蒲谢冯向唐袁徐邓胡杜严任文冉彭郑蒋曾谭付",
] as const;

const ELDER_MALE = [..."德明国建志勇强军华平文光永福成学忠林海兵刚伟波全清正荣贵兴发祥富才"];
const ELDER_FEMALE = [..."秀英兰芳玉珍梅凤琼淑桂素华丽红霞萍燕琴蓉翠群碧菊莲春"];
/** Children of the hardship households, born around 1990: the students of 2010. */
const YOUNG = [..."婷静磊鹏洋雪丹杰浩倩敏超帅娟亮欢琳涛鑫瑶佳宇阳颖晨思雨露军峰"];

const given = (random: Random, syllables: readonly string[]) =>
  random.chance(0.8) ? `${random.pick(syllables)}${random.pick(syllables)}` : random.pick(syllables);

export const surname = (random: Random): string => random.pick(SURNAMES);

/** An adult's name; `female` chooses the syllables. */
export const adultName = (random: Random, female = random.chance(0.5), family = surname(random)): string =>
  `${family}${given(random, female ? ELDER_FEMALE : ELDER_MALE)}`;

/** A student's name, with the household's surname. */
export const studentName = (random: Random, family: string): string => `${family}${given(random, YOUNG)}`;

/** The surname of a name written surname-first (all surnames here are one character). */
export const surnameOf = (name: string): string => name.slice(0, 1);
