/**
 * Decodes caret's one-hot German credit table (UCI Statlog) back into one readable column per
 * attribute, the way the data is usually shown: numbers as numbers, each one-hot group as text.
 */
import { col, type Csv } from './csv';

/** Numeric columns kept as they are, in output order. */
export const CREDIT_NUMERIC = [
  'Duration',
  'Amount',
  'InstallmentRatePercentage',
  'ResidenceDuration',
  'Age',
  'NumberExistingCredits',
  'NumberPeopleMaintenance',
] as const;

/**
 * One-hot groups: source suffix -> readable label. Labels follow the UCI attribute descriptions
 * (DM = Deutsche Mark). A suffix with no row in the data (Purpose.Vacation) is still listed, so a
 * change of source would be caught rather than silently mislabelled.
 */
const GROUPS: { column: string; labels: Record<string, string> }[] = [
  { column: 'CheckingAccountStatus', labels: { 'lt.0': '< 0 DM', '0.to.200': '0 to 200 DM', 'gt.200': '>= 200 DM', none: 'no account' } },
  {
    column: 'CreditHistory',
    labels: {
      'NoCredit.AllPaid': 'no credits or all paid',
      'ThisBank.AllPaid': 'all paid at this bank',
      PaidDuly: 'existing paid duly',
      Delay: 'delays in the past',
      Critical: 'critical account',
    },
  },
  {
    column: 'Purpose',
    labels: {
      NewCar: 'new car',
      UsedCar: 'used car',
      'Furniture.Equipment': 'furniture or equipment',
      'Radio.Television': 'radio or television',
      DomesticAppliance: 'domestic appliance',
      Repairs: 'repairs',
      Education: 'education',
      Vacation: 'vacation',
      Retraining: 'retraining',
      Business: 'business',
      Other: 'other',
    },
  },
  {
    column: 'SavingsAccountBonds',
    labels: { 'lt.100': '< 100 DM', '100.to.500': '100 to 500 DM', '500.to.1000': '500 to 1000 DM', 'gt.1000': '>= 1000 DM', Unknown: 'unknown or none' },
  },
  {
    column: 'EmploymentDuration',
    labels: { 'lt.1': '< 1 year', '1.to.4': '1 to 4 years', '4.to.7': '4 to 7 years', 'gt.7': '>= 7 years', Unemployed: 'unemployed' },
  },
  { column: 'OtherDebtorsGuarantors', labels: { None: 'none', CoApplicant: 'co-applicant', Guarantor: 'guarantor' } },
  {
    column: 'Property',
    labels: { RealEstate: 'real estate', Insurance: 'savings or life insurance', CarOther: 'car or other', Unknown: 'unknown or none' },
  },
  { column: 'OtherInstallmentPlans', labels: { Bank: 'bank', Stores: 'stores', None: 'none' } },
  { column: 'Housing', labels: { Rent: 'rent', Own: 'own', ForFree: 'for free' } },
  {
    column: 'Job',
    labels: {
      UnemployedUnskilled: 'unemployed or unskilled non-resident',
      UnskilledResident: 'unskilled resident',
      SkilledEmployee: 'skilled employee',
      'Management.SelfEmp.HighlyQualified': 'management/self-employed/highly qualified',
    },
  },
];

/**
 * UCI attribute 9 ("personal status and sex") mixes two things; split it. The source does not separate
 * the female categories further: Female.NotSingle is "divorced, separated or married" (UCI A92).
 */
const PERSONAL: Record<string, { sex: string; marital: string }> = {
  'Male.Divorced.Seperated': { sex: 'male', marital: 'divorced-or-separated' },
  'Female.NotSingle': { sex: 'female', marital: 'not-single' },
  'Male.Single': { sex: 'male', marital: 'single' },
  'Male.Married.Widowed': { sex: 'male', marital: 'married-or-widowed' },
  'Female.Single': { sex: 'female', marital: 'single' },
};

/** Categorical columns of credit.csv in output order (after the numeric ones). */
export const CREDIT_CATEGORICAL = [
  'CheckingAccountStatus',
  'CreditHistory',
  'Purpose',
  'SavingsAccountBonds',
  'EmploymentDuration',
  'OtherDebtorsGuarantors',
  'Property',
  'OtherInstallmentPlans',
  'Housing',
  'Job',
  'Sex',
  'MaritalStatus',
  'Telephone',
  'ForeignWorker',
] as const;

export const CREDIT_TARGET = 'Class';

/**
 * Decode caret's GermanCredit table. Throws unless every row has exactly one hot column in every group
 * (true of this data: no group has a dropped level, though Purpose.Vacation is never hot).
 *
 * caret writes Telephone and ForeignWorker as 0/1 indicators of the *first* UCI level: Telephone = 1 is
 * UCI A191 "none" (596 rows) and ForeignWorker = 1 is A201 "yes" (963 rows), checked against the first
 * rows of the UCI file. They become 'yes'/'no' for "has a registered telephone" and "is a foreign worker".
 */
export function decodeCredit(src: Csv): Csv {
  const groupCols = [...GROUPS.map((g) => ({ column: g.column, labels: g.labels })), { column: 'Personal', labels: {} as Record<string, string> }].map((g) => {
    const prefix = `${g.column}.`;
    const members = src.header.map((h, i) => ({ h, i })).filter(({ h }) => h.startsWith(prefix));
    if (members.length === 0) throw new Error(`German credit: no columns for group ${g.column}`);
    for (const { h } of members) {
      const suffix = h.slice(prefix.length);
      const known = g.column === 'Personal' ? suffix in PERSONAL : suffix in g.labels;
      if (!known) throw new Error(`German credit: unexpected column ${h}`);
    }
    return { ...g, members: members.map(({ h, i }) => ({ suffix: h.slice(prefix.length), i })) };
  });

  const numIdx = CREDIT_NUMERIC.map((c) => col(src, c));
  const tel = col(src, 'Telephone');
  const foreign = col(src, 'ForeignWorker');
  const cls = col(src, 'Class');

  const header = [...CREDIT_NUMERIC, ...CREDIT_CATEGORICAL, CREDIT_TARGET];
  const rows = src.rows.map((r, rowIndex) => {
    const hot = (g: (typeof groupCols)[number]): string => {
      const on = g.members.filter((m) => r[m.i] === '1');
      const bad = g.members.filter((m) => r[m.i] !== '0' && r[m.i] !== '1');
      if (on.length !== 1 || bad.length > 0) throw new Error(`German credit row ${rowIndex + 1}: group ${g.column} has ${on.length} hot columns`);
      return on[0].suffix;
    };
    const byColumn = new Map<string, string>();
    for (const g of groupCols) {
      const suffix = hot(g);
      if (g.column === 'Personal') {
        byColumn.set('Sex', PERSONAL[suffix].sex);
        byColumn.set('MaritalStatus', PERSONAL[suffix].marital);
      } else byColumn.set(g.column, g.labels[suffix]);
    }
    byColumn.set('Telephone', yesNo(r[tel], 'no', 'yes'));
    byColumn.set('ForeignWorker', yesNo(r[foreign], 'yes', 'no'));
    const target = r[cls];
    if (target !== 'Good' && target !== 'Bad') throw new Error(`German credit row ${rowIndex + 1}: Class '${target}'`);
    return [...numIdx.map((i) => r[i]), ...CREDIT_CATEGORICAL.map((c) => byColumn.get(c) ?? ''), target];
  });
  return { header, rows };
}

function yesNo(v: string, one: string, zero: string): string {
  if (v === '1') return one;
  if (v === '0') return zero;
  throw new Error(`German credit: indicator value '${v}'`);
}
