/**
 * Demo drug catalogue: real RxNorm concepts with illustrative 30-day prices.
 *
 * Provenance of the RxCUIs (so nobody has to wonder whether they were invented):
 * - Generic entries (isBrand=false) are RxNorm SCD/GPCK concepts taken from NLM VSAC
 *   eCQM value-set expansions (eCQM Update 2025-05-08: statin intensity, antihypertensives,
 *   antidepressants, anticoagulants, hypoglycemics, opioids, antibiotics, ...). Names are the
 *   exact RxNorm SCD strings.
 * - Brand entries (isBrand=true) are RxNorm SBD concepts. Their names use the RxNorm synonym
 *   style "<Brand> <strength> <dose form>" (e.g. "Lipitor 20 MG Oral Tablet"); the RxCUIs were
 *   cross-checked against VSAC (Eliquis, Xarelto 2.5, Plavix, Effient, Pradaxa, Savaysa, Lovenox)
 *   or against several independent public sources (Lipitor, Crestor, Lantus, Ozempic, ...).
 * - Prices are demo list/cash prices per 30-day supply, NOT real quotes.
 *
 * Brand/generic pairs share ingredient + strength + doseForm so a crosswalk can join them.
 * Some brands deliberately have no generic in the catalogue (Eliquis, Ozempic, Jardiance, Humira...).
 */

export type TierHint =
  | 'GENERIC'
  | 'PREFERRED-BRAND'
  | 'NON-PREFERRED-BRAND'
  | 'SPECIALTY'
  | 'ZERO-COST-SHARE-PREVENTIVE';

/** Therapeutic grouping; the generator uses it for utilization-management rules (QL, PA, ST). */
export type DrugClass =
  | 'statin'
  | 'cardiovascular'
  | 'diabetes'
  | 'insulin'
  | 'glp1'
  | 'anticoagulant'
  | 'antidepressant'
  | 'antipsychotic'
  | 'anticonvulsant'
  | 'sedative'
  | 'adhd'
  | 'dementia'
  | 'opioid'
  | 'substance-use'
  | 'musculoskeletal'
  | 'antibiotic'
  | 'endocrine'
  | 'urology'
  | 'contraceptive'
  | 'smoking-cessation'
  | 'steroid'
  | 'immunology'
  | 'gastrointestinal'
  | 'antihistamine'
  | 'weight-loss'
  | 'specialty-biologic';

export interface CatalogueDrug {
  /** RxCUI, digits only. */
  rxnormId: string;
  /** RxNorm-style display name. */
  drugName: string;
  /** Lowercase active ingredient(s), " / " separated for combinations. */
  ingredient: string;
  strength: string;
  doseForm: string;
  isBrand: boolean;
  brandName?: string;
  /** Illustrative US list/cash price for a 30-day supply, in dollars. */
  pricePer30Days: number;
  tierHint: TierHint;
  drugClass: DrugClass;
}

type Row = Omit<CatalogueDrug, 'drugClass'>;

/** Generic (RxNorm SCD / generic pack) row. */
function g(
  rxnormId: string,
  drugName: string,
  ingredient: string,
  strength: string,
  doseForm: string,
  pricePer30Days: number,
  tierHint: TierHint = 'GENERIC',
): Row {
  return { rxnormId, drugName, ingredient, strength, doseForm, isBrand: false, pricePer30Days, tierHint };
}

/** Brand (RxNorm SBD) row. */
function b(
  rxnormId: string,
  drugName: string,
  ingredient: string,
  strength: string,
  doseForm: string,
  brandName: string,
  pricePer30Days: number,
  tierHint: TierHint,
): Row {
  return { rxnormId, drugName, ingredient, strength, doseForm, isBrand: true, brandName, pricePer30Days, tierHint };
}

function group(drugClass: DrugClass, rows: Row[]): CatalogueDrug[] {
  return rows.map((row) => ({ ...row, drugClass }));
}

const TAB = 'Oral Tablet';
const CAP = 'Oral Capsule';
const ER_TAB = 'Extended Release Oral Tablet';
const ER_CAP = 'Extended Release Oral Capsule';
const DR_CAP = 'Delayed Release Oral Capsule';
const DR_TAB = 'Delayed Release Oral Tablet';
const PEN = 'Pen Injector';
const AUTO = 'Auto-Injector';
const SYRINGE = 'Prefilled Syringe';
const VIAL = 'Injectable Solution';
const PACK = 'Pack';

export const DRUG_CATALOGUE: readonly CatalogueDrug[] = [
  ...group('statin', [
    g('617312', 'atorvastatin 10 MG Oral Tablet', 'atorvastatin', '10 MG', TAB, 8.4),
    g('617310', 'atorvastatin 20 MG Oral Tablet', 'atorvastatin', '20 MG', TAB, 9.2),
    g('617311', 'atorvastatin 40 MG Oral Tablet', 'atorvastatin', '40 MG', TAB, 11.5),
    g('259255', 'atorvastatin 80 MG Oral Tablet', 'atorvastatin', '80 MG', TAB, 14.1),
    b('617314', 'Lipitor 10 MG Oral Tablet', 'atorvastatin', '10 MG', TAB, 'Lipitor', 382.5, 'NON-PREFERRED-BRAND'),
    b('617318', 'Lipitor 20 MG Oral Tablet', 'atorvastatin', '20 MG', TAB, 'Lipitor', 401.25, 'NON-PREFERRED-BRAND'),
    b('617320', 'Lipitor 40 MG Oral Tablet', 'atorvastatin', '40 MG', TAB, 'Lipitor', 401.25, 'NON-PREFERRED-BRAND'),
    b('262095', 'Lipitor 80 MG Oral Tablet', 'atorvastatin', '80 MG', TAB, 'Lipitor', 412.8, 'NON-PREFERRED-BRAND'),
    g('859424', 'rosuvastatin calcium 5 MG Oral Tablet', 'rosuvastatin', '5 MG', TAB, 9.8),
    g('859747', 'rosuvastatin calcium 10 MG Oral Tablet', 'rosuvastatin', '10 MG', TAB, 10.4),
    g('859751', 'rosuvastatin calcium 20 MG Oral Tablet', 'rosuvastatin', '20 MG', TAB, 12.3),
    g('859419', 'rosuvastatin calcium 40 MG Oral Tablet', 'rosuvastatin', '40 MG', TAB, 15.6),
    b('859749', 'Crestor 10 MG Oral Tablet', 'rosuvastatin', '10 MG', TAB, 'Crestor', 334.2, 'NON-PREFERRED-BRAND'),
    b('859753', 'Crestor 20 MG Oral Tablet', 'rosuvastatin', '20 MG', TAB, 'Crestor', 341.9, 'NON-PREFERRED-BRAND'),
    g('314231', 'simvastatin 10 MG Oral Tablet', 'simvastatin', '10 MG', TAB, 5.9),
    g('312961', 'simvastatin 20 MG Oral Tablet', 'simvastatin', '20 MG', TAB, 6.2),
    g('198211', 'simvastatin 40 MG Oral Tablet', 'simvastatin', '40 MG', TAB, 7.1),
    g('200345', 'simvastatin 80 MG Oral Tablet', 'simvastatin', '80 MG', TAB, 9.4),
    g('904467', 'pravastatin sodium 20 MG Oral Tablet', 'pravastatin', '20 MG', TAB, 8.3),
    g('904475', 'pravastatin sodium 40 MG Oral Tablet', 'pravastatin', '40 MG', TAB, 10.2),
    g('904481', 'pravastatin sodium 80 MG Oral Tablet', 'pravastatin', '80 MG', TAB, 14.4),
    g('197904', 'lovastatin 20 MG Oral Tablet', 'lovastatin', '20 MG', TAB, 7.3),
    g('197905', 'lovastatin 40 MG Oral Tablet', 'lovastatin', '40 MG', TAB, 9.1),
    g('476349', 'ezetimibe 10 MG / simvastatin 20 MG Oral Tablet', 'ezetimibe / simvastatin', '10 MG / 20 MG', TAB, 31.5),
  ]),
  ...group('cardiovascular', [
    g('311353', 'lisinopril 2.5 MG Oral Tablet', 'lisinopril', '2.5 MG', TAB, 4.1),
    g('311354', 'lisinopril 5 MG Oral Tablet', 'lisinopril', '5 MG', TAB, 4.1),
    g('314076', 'lisinopril 10 MG Oral Tablet', 'lisinopril', '10 MG', TAB, 4.2),
    g('314077', 'lisinopril 20 MG Oral Tablet', 'lisinopril', '20 MG', TAB, 4.4),
    g('197884', 'lisinopril 40 MG Oral Tablet', 'lisinopril', '40 MG', TAB, 6.3),
    g('308136', 'amlodipine 2.5 MG Oral Tablet', 'amlodipine', '2.5 MG', TAB, 4.0),
    g('197361', 'amlodipine 5 MG Oral Tablet', 'amlodipine', '5 MG', TAB, 4.2),
    g('308135', 'amlodipine 10 MG Oral Tablet', 'amlodipine', '10 MG', TAB, 5.1),
    g('979485', 'losartan potassium 25 MG Oral Tablet', 'losartan', '25 MG', TAB, 7.4),
    g('979492', 'losartan potassium 50 MG Oral Tablet', 'losartan', '50 MG', TAB, 8.2),
    g('979480', 'losartan potassium 100 MG Oral Tablet', 'losartan', '100 MG', TAB, 10.3),
    g('979468', 'hydrochlorothiazide 12.5 MG / losartan potassium 50 MG Oral Tablet', 'hydrochlorothiazide / losartan', '12.5 MG / 50 MG', TAB, 12.6),
    g('429503', 'hydrochlorothiazide 12.5 MG Oral Tablet', 'hydrochlorothiazide', '12.5 MG', TAB, 5.2),
    g('310798', 'hydrochlorothiazide 25 MG Oral Tablet', 'hydrochlorothiazide', '25 MG', TAB, 4.3),
    g('866924', 'metoprolol tartrate 25 MG Oral Tablet', 'metoprolol', '25 MG', TAB, 4.9),
    g('866514', 'metoprolol tartrate 50 MG Oral Tablet', 'metoprolol', '50 MG', TAB, 5.3),
    g('866427', '24 HR metoprolol succinate 25 MG Extended Release Oral Tablet', 'metoprolol', '25 MG', ER_TAB, 9.2),
    g('866436', '24 HR metoprolol succinate 50 MG Extended Release Oral Tablet', 'metoprolol', '50 MG', ER_TAB, 10.1),
    g('866412', '24 HR metoprolol succinate 100 MG Extended Release Oral Tablet', 'metoprolol', '100 MG', ER_TAB, 14.3),
    g('200031', 'carvedilol 6.25 MG Oral Tablet', 'carvedilol', '6.25 MG', TAB, 5.6),
    g('200032', 'carvedilol 12.5 MG Oral Tablet', 'carvedilol', '12.5 MG', TAB, 5.8),
    g('200033', 'carvedilol 25 MG Oral Tablet', 'carvedilol', '25 MG', TAB, 6.1),
    g('197380', 'atenolol 25 MG Oral Tablet', 'atenolol', '25 MG', TAB, 4.3),
    g('197381', 'atenolol 50 MG Oral Tablet', 'atenolol', '50 MG', TAB, 4.8),
    g('349199', 'valsartan 80 MG Oral Tablet', 'valsartan', '80 MG', TAB, 12.2),
    g('349201', 'valsartan 160 MG Oral Tablet', 'valsartan', '160 MG', TAB, 14.1),
    g('349401', 'olmesartan medoxomil 20 MG Oral Tablet', 'olmesartan', '20 MG', TAB, 14.2),
    g('349405', 'olmesartan medoxomil 40 MG Oral Tablet', 'olmesartan', '40 MG', TAB, 16.4),
    g('200095', 'irbesartan 150 MG Oral Tablet', 'irbesartan', '150 MG', TAB, 12.0),
    g('205304', 'telmisartan 40 MG Oral Tablet', 'telmisartan', '40 MG', TAB, 15.3),
    g('858817', 'enalapril maleate 10 MG Oral Tablet', 'enalapril', '10 MG', TAB, 8.1),
    g('898690', 'benazepril hydrochloride 20 MG Oral Tablet', 'benazepril', '20 MG', TAB, 7.9),
    g('198189', 'ramipril 5 MG Oral Capsule', 'ramipril', '5 MG', CAP, 8.2),
    g('261962', 'ramipril 10 MG Oral Capsule', 'ramipril', '10 MG', CAP, 9.6),
    g('898356', 'amlodipine 5 MG / benazepril hydrochloride 20 MG Oral Capsule', 'amlodipine / benazepril', '5 MG / 20 MG', CAP, 15.2),
    g('722134', 'amlodipine 5 MG / valsartan 160 MG Oral Tablet', 'amlodipine / valsartan', '5 MG / 160 MG', TAB, 21.4),
    g('313096', 'spironolactone 25 MG Oral Tablet', 'spironolactone', '25 MG', TAB, 6.4),
    g('198223', 'spironolactone 50 MG Oral Tablet', 'spironolactone', '50 MG', TAB, 9.2),
    g('310429', 'furosemide 20 MG Oral Tablet', 'furosemide', '20 MG', TAB, 4.0),
    g('313988', 'furosemide 40 MG Oral Tablet', 'furosemide', '40 MG', TAB, 4.3),
    g('198371', 'torsemide 20 MG Oral Tablet', 'torsemide', '20 MG', TAB, 8.4),
    g('197418', 'bumetanide 1 MG Oral Tablet', 'bumetanide', '1 MG', TAB, 10.2),
    g('197499', 'chlorthalidone 25 MG Oral Tablet', 'chlorthalidone', '25 MG', TAB, 12.1),
    g('884173', 'clonidine hydrochloride 0.1 MG Oral Tablet', 'clonidine', '0.1 MG', TAB, 5.1),
    g('905225', 'hydralazine hydrochloride 25 MG Oral Tablet', 'hydralazine', '25 MG', TAB, 8.3),
    g('830845', '24 HR diltiazem hydrochloride 180 MG Extended Release Oral Capsule', 'diltiazem', '180 MG', ER_CAP, 19.8),
    g('897649', 'verapamil hydrochloride 240 MG Extended Release Oral Tablet', 'verapamil', '240 MG', ER_TAB, 15.4),
    g('198034', '24 HR nifedipine 30 MG Extended Release Oral Tablet', 'nifedipine', '30 MG', ER_TAB, 17.9),
    g('387013', 'nebivolol 5 MG Oral Tablet', 'nebivolol', '5 MG', TAB, 24.6),
    g('751612', 'nebivolol 10 MG Oral Tablet', 'nebivolol', '10 MG', TAB, 27.9),
    g('351256', 'eplerenone 25 MG Oral Tablet', 'eplerenone', '25 MG', TAB, 25.3),
    g('197604', 'digoxin 0.125 MG Oral Tablet', 'digoxin', '0.125 MG', TAB, 15.2),
    g('1923426', 'sotalol hydrochloride 80 MG Oral Tablet', 'sotalol', '80 MG', TAB, 15.6),
    b('1656346', 'Entresto 24 MG / 26 MG Oral Tablet', 'sacubitril / valsartan', '24 MG / 26 MG', TAB, 'Entresto', 678.4, 'PREFERRED-BRAND'),
    b('1656356', 'Entresto 97 MG / 103 MG Oral Tablet', 'sacubitril / valsartan', '97 MG / 103 MG', TAB, 'Entresto', 678.4, 'PREFERRED-BRAND'),
  ]),
  ...group('diabetes', [
    g('861007', 'metformin hydrochloride 500 MG Oral Tablet', 'metformin', '500 MG', TAB, 4.2),
    g('861010', 'metformin hydrochloride 850 MG Oral Tablet', 'metformin', '850 MG', TAB, 4.9),
    g('861004', 'metformin hydrochloride 1000 MG Oral Tablet', 'metformin', '1000 MG', TAB, 5.3),
    g('860975', '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet', 'metformin', '500 MG', ER_TAB, 6.1),
    g('860981', '24 HR metformin hydrochloride 750 MG Extended Release Oral Tablet', 'metformin', '750 MG', ER_TAB, 8.3),
    g('310490', 'glipizide 5 MG Oral Tablet', 'glipizide', '5 MG', TAB, 4.4),
    g('310488', 'glipizide 10 MG Oral Tablet', 'glipizide', '10 MG', TAB, 5.2),
    g('314006', '24 HR glipizide 5 MG Extended Release Oral Tablet', 'glipizide', '5 MG', ER_TAB, 8.1),
    g('199246', 'glimepiride 2 MG Oral Tablet', 'glimepiride', '2 MG', TAB, 5.0),
    g('199247', 'glimepiride 4 MG Oral Tablet', 'glimepiride', '4 MG', TAB, 6.2),
    g('317573', 'pioglitazone 15 MG Oral Tablet', 'pioglitazone', '15 MG', TAB, 7.2),
    g('312440', 'pioglitazone 30 MG Oral Tablet', 'pioglitazone', '30 MG', TAB, 8.4),
    b('665036', 'Januvia 100 MG Oral Tablet', 'sitagliptin', '100 MG', TAB, 'Januvia', 563.2, 'PREFERRED-BRAND'),
    b('665044', 'Januvia 50 MG Oral Tablet', 'sitagliptin', '50 MG', TAB, 'Januvia', 563.2, 'PREFERRED-BRAND'),
    b('1545664', 'Jardiance 10 MG Oral Tablet', 'empagliflozin', '10 MG', TAB, 'Jardiance', 662.75, 'PREFERRED-BRAND'),
  ]),
  ...group('insulin', [
    g('847230', '3 ML insulin glargine 100 UNT/ML Pen Injector', 'insulin glargine', '100 UNT/ML', PEN, 35.0),
    b('847232', 'Lantus 3 ML 100 UNT/ML Pen Injector', 'insulin glargine', '100 UNT/ML', PEN, 'Lantus', 347.6, 'PREFERRED-BRAND'),
    g('311041', 'insulin glargine 100 UNT/ML Injectable Solution', 'insulin glargine', '100 UNT/ML', VIAL, 35.0),
    g('311040', 'insulin aspart, human 100 UNT/ML Injectable Solution', 'insulin aspart', '100 UNT/ML', VIAL, 35.0),
    g('242120', 'insulin lispro 100 UNT/ML Injectable Solution', 'insulin lispro', '100 UNT/ML', VIAL, 35.0),
    g('1652639', '3 ML insulin lispro 100 UNT/ML Pen Injector', 'insulin lispro', '100 UNT/ML', PEN, 35.0),
    g('1670011', '3 ML insulin degludec 100 UNT/ML Pen Injector', 'insulin degludec', '100 UNT/ML', PEN, 35.0),
    g('311034', 'insulin, regular, human 100 UNT/ML Injectable Solution', 'insulin regular, human', '100 UNT/ML', VIAL, 24.9),
    g('311028', 'insulin isophane, human 100 UNT/ML Injectable Suspension', 'insulin isophane, human', '100 UNT/ML', 'Injectable Suspension', 24.9),
  ]),
  ...group('glp1', [
    b('2398842', 'Ozempic 3 ML 1.34 MG/ML Pen Injector', 'semaglutide', '1.34 MG/ML', PEN, 'Ozempic', 899.0, 'PREFERRED-BRAND'),
    b('1551300', 'Trulicity 0.5 ML 1.5 MG/ML Auto-Injector', 'dulaglutide', '1.5 MG/ML', AUTO, 'Trulicity', 887.5, 'PREFERRED-BRAND'),
  ]),
  ...group('anticoagulant', [
    b('1364447', 'Eliquis 5 MG Oral Tablet', 'apixaban', '5 MG', TAB, 'Eliquis', 619.6, 'PREFERRED-BRAND'),
    b('1232088', 'Xarelto 20 MG Oral Tablet', 'rivaroxaban', '20 MG', TAB, 'Xarelto', 598.3, 'PREFERRED-BRAND'),
    b('2059017', 'Xarelto 2.5 MG Oral Tablet', 'rivaroxaban', '2.5 MG', TAB, 'Xarelto', 598.3, 'PREFERRED-BRAND'),
    b('1599557', 'Savaysa 60 MG Oral Tablet', 'edoxaban', '60 MG', TAB, 'Savaysa', 541.2, 'NON-PREFERRED-BRAND'),
    g('1037045', 'dabigatran etexilate 150 MG Oral Capsule', 'dabigatran', '150 MG', CAP, 39.8),
    b('1037049', 'Pradaxa 150 MG Oral Capsule', 'dabigatran', '150 MG', CAP, 'Pradaxa', 522.1, 'NON-PREFERRED-BRAND'),
    g('855288', 'warfarin sodium 1 MG Oral Tablet', 'warfarin', '1 MG', TAB, 6.2),
    g('855312', 'warfarin sodium 2.5 MG Oral Tablet', 'warfarin', '2.5 MG', TAB, 6.4),
    g('855332', 'warfarin sodium 5 MG Oral Tablet', 'warfarin', '5 MG', TAB, 6.5),
    g('309362', 'clopidogrel 75 MG Oral Tablet', 'clopidogrel', '75 MG', TAB, 6.3),
    b('213169', 'Plavix 75 MG Oral Tablet', 'clopidogrel', '75 MG', TAB, 'Plavix', 331.9, 'NON-PREFERRED-BRAND'),
    g('855812', 'prasugrel 10 MG Oral Tablet', 'prasugrel', '10 MG', TAB, 34.7),
    b('855816', 'Effient 10 MG Oral Tablet', 'prasugrel', '10 MG', TAB, 'Effient', 478.6, 'NON-PREFERRED-BRAND'),
    g('1116635', 'ticagrelor 90 MG Oral Tablet', 'ticagrelor', '90 MG', TAB, 39.5),
    g('854235', '0.4 ML enoxaparin sodium 100 MG/ML Prefilled Syringe', 'enoxaparin', '100 MG/ML', SYRINGE, 38.6),
    b('854236', 'Lovenox 0.4 ML 100 MG/ML Prefilled Syringe', 'enoxaparin', '100 MG/ML', SYRINGE, 'Lovenox', 421.3, 'NON-PREFERRED-BRAND'),
    g('243670', 'aspirin 81 MG Oral Tablet', 'aspirin', '81 MG', TAB, 4.0, 'ZERO-COST-SHARE-PREVENTIVE'),
    g('308416', 'aspirin 81 MG Delayed Release Oral Tablet', 'aspirin', '81 MG', DR_TAB, 4.0, 'ZERO-COST-SHARE-PREVENTIVE'),
  ]),
  ...group('antidepressant', [
    g('312940', 'sertraline 25 MG Oral Tablet', 'sertraline', '25 MG', TAB, 5.1),
    g('312941', 'sertraline 50 MG Oral Tablet', 'sertraline', '50 MG', TAB, 5.3),
    g('312938', 'sertraline 100 MG Oral Tablet', 'sertraline', '100 MG', TAB, 6.2),
    b('208149', 'Zoloft 100 MG Oral Tablet', 'sertraline', '100 MG', TAB, 'Zoloft', 418.9, 'NON-PREFERRED-BRAND'),
    g('351249', 'escitalopram 5 MG Oral Tablet', 'escitalopram', '5 MG', TAB, 6.0),
    g('349332', 'escitalopram 10 MG Oral Tablet', 'escitalopram', '10 MG', TAB, 6.1),
    g('351250', 'escitalopram 20 MG Oral Tablet', 'escitalopram', '20 MG', TAB, 7.2),
    g('200371', 'citalopram 20 MG Oral Tablet', 'citalopram', '20 MG', TAB, 4.3),
    g('309314', 'citalopram 40 MG Oral Tablet', 'citalopram', '40 MG', TAB, 5.2),
    g('310385', 'fluoxetine 20 MG Oral Capsule', 'fluoxetine', '20 MG', CAP, 4.4),
    g('313989', 'fluoxetine 40 MG Oral Capsule', 'fluoxetine', '40 MG', CAP, 6.1),
    g('1738495', 'paroxetine hydrochloride 20 MG Oral Tablet', 'paroxetine', '20 MG', TAB, 6.3),
    g('596930', 'duloxetine 30 MG Delayed Release Oral Capsule', 'duloxetine', '30 MG', DR_CAP, 9.1),
    g('596934', 'duloxetine 60 MG Delayed Release Oral Capsule', 'duloxetine', '60 MG', DR_CAP, 10.2),
    g('313585', '24 HR venlafaxine 75 MG Extended Release Oral Capsule', 'venlafaxine', '75 MG', ER_CAP, 12.3),
    g('313581', '24 HR venlafaxine 150 MG Extended Release Oral Capsule', 'venlafaxine', '150 MG', ER_CAP, 14.2),
    g('993518', '12 HR bupropion hydrochloride 150 MG Extended Release Oral Tablet', 'bupropion', '150 MG', ER_TAB, 10.4),
    g('993541', '24 HR bupropion hydrochloride 150 MG Extended Release Oral Tablet', 'bupropion', '150 MG', ER_TAB, 12.2),
    g('993557', '24 HR bupropion hydrochloride 300 MG Extended Release Oral Tablet', 'bupropion', '300 MG', ER_TAB, 18.1),
    g('311725', 'mirtazapine 15 MG Oral Tablet', 'mirtazapine', '15 MG', TAB, 6.2),
    g('314111', 'mirtazapine 30 MG Oral Tablet', 'mirtazapine', '30 MG', TAB, 7.3),
    g('856377', 'trazodone hydrochloride 50 MG Oral Tablet', 'trazodone', '50 MG', TAB, 4.2),
    g('856373', 'trazodone hydrochloride 100 MG Oral Tablet', 'trazodone', '100 MG', TAB, 5.1),
    g('856783', 'amitriptyline hydrochloride 10 MG Oral Tablet', 'amitriptyline', '10 MG', TAB, 4.9),
    g('856834', 'amitriptyline hydrochloride 25 MG Oral Tablet', 'amitriptyline', '25 MG', TAB, 5.2),
    g('1086778', 'vilazodone hydrochloride 20 MG Oral Tablet', 'vilazodone', '20 MG', TAB, 36.8),
  ]),
  ...group('antipsychotic', [
    g('312744', 'quetiapine 25 MG Oral Tablet', 'quetiapine', '25 MG', TAB, 5.1),
    g('312743', 'quetiapine 100 MG Oral Tablet', 'quetiapine', '100 MG', TAB, 7.0),
    g('317174', 'quetiapine 200 MG Oral Tablet', 'quetiapine', '200 MG', TAB, 9.2),
    g('312830', 'risperidone 1 MG Oral Tablet', 'risperidone', '1 MG', TAB, 6.1),
    g('312831', 'risperidone 2 MG Oral Tablet', 'risperidone', '2 MG', TAB, 6.9),
    g('312078', 'olanzapine 5 MG Oral Tablet', 'olanzapine', '5 MG', TAB, 7.1),
    g('314154', 'olanzapine 10 MG Oral Tablet', 'olanzapine', '10 MG', TAB, 8.2),
    g('402131', 'aripiprazole 5 MG Oral Tablet', 'aripiprazole', '5 MG', TAB, 9.8),
    g('349545', 'aripiprazole 10 MG Oral Tablet', 'aripiprazole', '10 MG', TAB, 10.3),
    g('313776', 'ziprasidone 40 MG Oral Capsule', 'ziprasidone', '40 MG', CAP, 19.7),
    g('1040031', 'lurasidone hydrochloride 40 MG Oral Tablet', 'lurasidone', '40 MG', TAB, 34.9),
    g('310672', 'haloperidol 5 MG Oral Tablet', 'haloperidol', '5 MG', TAB, 9.3),
  ]),
  ...group('anticonvulsant', [
    g('282401', 'lamotrigine 25 MG Oral Tablet', 'lamotrigine', '25 MG', TAB, 5.2),
    g('198427', 'lamotrigine 100 MG Oral Tablet', 'lamotrigine', '100 MG', TAB, 6.3),
    g('311289', 'levetiracetam 500 MG Oral Tablet', 'levetiracetam', '500 MG', TAB, 8.1),
    g('311290', 'levetiracetam 750 MG Oral Tablet', 'levetiracetam', '750 MG', TAB, 10.2),
    g('312137', 'oxcarbazepine 300 MG Oral Tablet', 'oxcarbazepine', '300 MG', TAB, 12.4),
    g('199888', 'topiramate 25 MG Oral Tablet', 'topiramate', '25 MG', TAB, 5.0),
    g('151226', 'topiramate 50 MG Oral Tablet', 'topiramate', '50 MG', TAB, 6.1),
    g('1099870', 'divalproex sodium 500 MG Delayed Release Oral Tablet', 'divalproex', '500 MG', DR_TAB, 14.3),
    g('310430', 'gabapentin 100 MG Oral Capsule', 'gabapentin', '100 MG', CAP, 5.1),
    g('310431', 'gabapentin 300 MG Oral Capsule', 'gabapentin', '300 MG', CAP, 6.2),
    g('310432', 'gabapentin 400 MG Oral Capsule', 'gabapentin', '400 MG', CAP, 8.0),
    g('310433', 'gabapentin 600 MG Oral Tablet', 'gabapentin', '600 MG', TAB, 10.1),
    g('310434', 'gabapentin 800 MG Oral Tablet', 'gabapentin', '800 MG', TAB, 12.2),
    g('483450', 'pregabalin 75 MG Oral Capsule', 'pregabalin', '75 MG', CAP, 10.3),
    g('483440', 'pregabalin 150 MG Oral Capsule', 'pregabalin', '150 MG', CAP, 12.1),
  ]),
  ...group('sedative', [
    g('308048', 'alprazolam 0.5 MG Oral Tablet', 'alprazolam', '0.5 MG', TAB, 5.1),
    g('197321', 'alprazolam 1 MG Oral Tablet', 'alprazolam', '1 MG', TAB, 5.9),
    g('197527', 'clonazepam 0.5 MG Oral Tablet', 'clonazepam', '0.5 MG', TAB, 4.8),
    g('197528', 'clonazepam 1 MG Oral Tablet', 'clonazepam', '1 MG', TAB, 5.1),
    g('197900', 'lorazepam 0.5 MG Oral Tablet', 'lorazepam', '0.5 MG', TAB, 5.2),
    g('197901', 'lorazepam 1 MG Oral Tablet', 'lorazepam', '1 MG', TAB, 5.8),
    g('197591', 'diazepam 5 MG Oral Tablet', 'diazepam', '5 MG', TAB, 5.0),
    g('854876', 'zolpidem tartrate 5 MG Oral Tablet', 'zolpidem', '5 MG', TAB, 5.9),
    g('854873', 'zolpidem tartrate 10 MG Oral Tablet', 'zolpidem', '10 MG', TAB, 6.3),
    g('485442', 'eszopiclone 2 MG Oral Tablet', 'eszopiclone', '2 MG', TAB, 12.2),
  ]),
  ...group('adhd', [
    g('1091150', 'methylphenidate hydrochloride 10 MG Oral Tablet', 'methylphenidate', '10 MG', TAB, 19.8),
    g('1091185', '24 HR methylphenidate hydrochloride 36 MG Extended Release Oral Tablet', 'methylphenidate', '36 MG', ER_TAB, 39.9),
    g('899548', 'dexmethylphenidate hydrochloride 10 MG Oral Tablet', 'dexmethylphenidate', '10 MG', TAB, 20.4),
    g(
      '577961',
      'amphetamine aspartate 5 MG / amphetamine sulfate 5 MG / dextroamphetamine saccharate 5 MG / dextroamphetamine sulfate 5 MG Oral Tablet',
      'amphetamine aspartate / amphetamine sulfate / dextroamphetamine saccharate / dextroamphetamine sulfate',
      '5 MG / 5 MG / 5 MG / 5 MG',
      TAB,
      24.6,
    ),
    g(
      '861225',
      '24 HR amphetamine aspartate 5 MG / amphetamine sulfate 5 MG / dextroamphetamine saccharate 5 MG / dextroamphetamine sulfate 5 MG Extended Release Oral Capsule',
      'amphetamine aspartate / amphetamine sulfate / dextroamphetamine saccharate / dextroamphetamine sulfate',
      '5 MG / 5 MG / 5 MG / 5 MG',
      ER_CAP,
      39.5,
    ),
    g('854838', 'lisdexamfetamine dimesylate 40 MG Oral Capsule', 'lisdexamfetamine', '40 MG', CAP, 39.9),
    g('349594', 'atomoxetine 40 MG Oral Capsule', 'atomoxetine', '40 MG', CAP, 25.3),
    g('862013', '24 HR guanfacine 2 MG Extended Release Oral Tablet', 'guanfacine', '2 MG', ER_TAB, 15.2),
  ]),
  ...group('dementia', [
    g('997229', 'donepezil hydrochloride 5 MG Oral Tablet', 'donepezil', '5 MG', TAB, 6.0),
    g('997223', 'donepezil hydrochloride 10 MG Oral Tablet', 'donepezil', '10 MG', TAB, 6.3),
    g('996561', 'memantine hydrochloride 10 MG Oral Tablet', 'memantine', '10 MG', TAB, 10.1),
  ]),
  ...group('opioid', [
    g('1049621', 'oxycodone hydrochloride 5 MG Oral Tablet', 'oxycodone', '5 MG', TAB, 10.2),
    g('1049221', 'acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet', 'acetaminophen / oxycodone', '325 MG / 5 MG', TAB, 12.1),
    g('857002', 'acetaminophen 325 MG / hydrocodone bitartrate 5 MG Oral Tablet', 'acetaminophen / hydrocodone', '325 MG / 5 MG', TAB, 10.3),
    g('856999', 'acetaminophen 325 MG / hydrocodone bitartrate 10 MG Oral Tablet', 'acetaminophen / hydrocodone', '325 MG / 10 MG', TAB, 14.2),
    g('993781', 'acetaminophen 300 MG / codeine phosphate 30 MG Oral Tablet', 'acetaminophen / codeine', '300 MG / 30 MG', TAB, 8.1),
    g('835603', 'tramadol hydrochloride 50 MG Oral Tablet', 'tramadol', '50 MG', TAB, 6.2),
    g('891881', 'morphine sulfate 15 MG Extended Release Oral Tablet', 'morphine', '15 MG', ER_TAB, 20.3),
    g('245134', '72 HR fentanyl 0.025 MG/HR Transdermal System', 'fentanyl', '0.025 MG/HR', 'Transdermal System', 39.6),
    g('864706', 'methadone hydrochloride 10 MG Oral Tablet', 'methadone', '10 MG', TAB, 12.1),
    g('1725059', 'naloxone hydrochloride 40 MG/ML Nasal Spray', 'naloxone', '40 MG/ML', 'Nasal Spray', 29.9),
  ]),
  ...group('substance-use', [
    g('1010604', 'buprenorphine 8 MG / naloxone 2 MG Sublingual Film', 'buprenorphine / naloxone', '8 MG / 2 MG', 'Sublingual Film', 39.9),
    g('351267', 'buprenorphine 8 MG / naloxone 2 MG Sublingual Tablet', 'buprenorphine / naloxone', '8 MG / 2 MG', 'Sublingual Tablet', 34.8),
    g('1483744', 'naltrexone hydrochloride 50 MG Oral Tablet', 'naltrexone', '50 MG', TAB, 38.2),
    g('835726', 'acamprosate calcium 333 MG Delayed Release Oral Tablet', 'acamprosate', '333 MG', DR_TAB, 35.1),
    g('197623', 'disulfiram 250 MG Oral Tablet', 'disulfiram', '250 MG', TAB, 34.6),
  ]),
  ...group('musculoskeletal', [
    g('828348', 'cyclobenzaprine hydrochloride 10 MG Oral Tablet', 'cyclobenzaprine', '10 MG', TAB, 5.1),
    g('197943', 'methocarbamol 500 MG Oral Tablet', 'methocarbamol', '500 MG', TAB, 6.2),
    g('197446', 'carisoprodol 350 MG Oral Tablet', 'carisoprodol', '350 MG', TAB, 8.3),
    g('197817', 'indomethacin 25 MG Oral Capsule', 'indomethacin', '25 MG', CAP, 10.1),
    g('834022', 'ketorolac tromethamine 10 MG Oral Tablet', 'ketorolac', '10 MG', TAB, 10.4),
  ]),
  ...group('antibiotic', [
    g('308191', 'amoxicillin 500 MG Oral Capsule', 'amoxicillin', '500 MG', CAP, 6.1),
    g('308194', 'amoxicillin 875 MG Oral Tablet', 'amoxicillin', '875 MG', TAB, 8.2),
    g('617296', 'amoxicillin 500 MG / clavulanate 125 MG Oral Tablet', 'amoxicillin / clavulanate', '500 MG / 125 MG', TAB, 12.3),
    g('562508', 'amoxicillin 875 MG / clavulanate 125 MG Oral Tablet', 'amoxicillin / clavulanate', '875 MG / 125 MG', TAB, 15.1),
    g('308460', 'azithromycin 250 MG Oral Tablet', 'azithromycin', '250 MG', TAB, 8.0),
    g('248656', 'azithromycin 500 MG Oral Tablet', 'azithromycin', '500 MG', TAB, 10.2),
    g('749783', '{6 (azithromycin 250 MG Oral Tablet) } Pack', 'azithromycin', '250 MG', PACK, 10.4),
    g('309114', 'cephalexin 500 MG Oral Capsule', 'cephalexin', '500 MG', CAP, 8.1),
    g('200346', 'cefdinir 300 MG Oral Capsule', 'cefdinir', '300 MG', CAP, 14.2),
    g('309309', 'ciprofloxacin 500 MG Oral Tablet', 'ciprofloxacin', '500 MG', TAB, 8.3),
    g('199885', 'levofloxacin 500 MG Oral Tablet', 'levofloxacin', '500 MG', TAB, 10.1),
    g('198335', 'sulfamethoxazole 800 MG / trimethoprim 160 MG Oral Tablet', 'sulfamethoxazole / trimethoprim', '800 MG / 160 MG', TAB, 6.2),
    g('1650143', 'doxycycline hyclate 100 MG Oral Tablet', 'doxycycline', '100 MG', TAB, 15.3),
    g('1649988', 'doxycycline hyclate 100 MG Oral Capsule', 'doxycycline', '100 MG', CAP, 12.2),
    g('1648759', 'nitrofurantoin, macrocrystals 100 MG Oral Capsule', 'nitrofurantoin', '100 MG', CAP, 25.1),
    g('284215', 'clindamycin 300 MG Oral Capsule', 'clindamycin', '300 MG', CAP, 12.4),
    g('311681', 'metronidazole 500 MG Oral Tablet', 'metronidazole', '500 MG', TAB, 8.2),
    g('197517', 'clarithromycin 500 MG Oral Tablet', 'clarithromycin', '500 MG', TAB, 18.3),
    g('834102', 'penicillin V potassium 500 MG Oral Tablet', 'penicillin V', '500 MG', TAB, 8.1),
    g('311347', 'linezolid 600 MG Oral Tablet', 'linezolid', '600 MG', TAB, 39.8),
  ]),
  ...group('endocrine', [
    g('966221', 'levothyroxine sodium 0.05 MG Oral Tablet', 'levothyroxine', '0.05 MG', TAB, 8.4),
    g('313391', 'thyroid (USP) 60 MG Oral Tablet', 'thyroid (USP)', '60 MG', TAB, 29.6),
    g('197657', 'estradiol 0.5 MG Oral Tablet', 'estradiol', '0.5 MG', TAB, 10.1),
    g('197658', 'estradiol 1 MG Oral Tablet', 'estradiol', '1 MG', TAB, 10.3),
    g('197659', 'estradiol 2 MG Oral Tablet', 'estradiol', '2 MG', TAB, 12.2),
  ]),
  ...group('urology', [
    g('863669', 'tamsulosin hydrochloride 0.4 MG Oral Capsule', 'tamsulosin', '0.4 MG', CAP, 8.3),
  ]),
  ...group('contraceptive', [
    g('748961', '{28 (norethindrone 0.35 MG Oral Tablet) } Pack', 'norethindrone', '0.35 MG', PACK, 15.2, 'ZERO-COST-SHARE-PREVENTIVE'),
    g(
      '748878',
      '{21 (ethinyl estradiol 0.03 MG / levonorgestrel 0.15 MG Oral Tablet) / 7 (inert ingredients 1 MG Oral Tablet) } Pack',
      'ethinyl estradiol / levonorgestrel',
      '0.03 MG / 0.15 MG',
      PACK,
      15.4,
      'ZERO-COST-SHARE-PREVENTIVE',
    ),
    g(
      '749860',
      '{21 (ethinyl estradiol 0.035 MG / norgestimate 0.25 MG Oral Tablet) / 7 (inert ingredients 1 MG Oral Tablet) } Pack',
      'ethinyl estradiol / norgestimate',
      '0.035 MG / 0.25 MG',
      PACK,
      15.1,
      'ZERO-COST-SHARE-PREVENTIVE',
    ),
    g(
      '748798',
      '{24 (drospirenone 3 MG / ethinyl estradiol 0.02 MG Oral Tablet) / 4 (inert ingredients 1 MG Oral Tablet) } Pack',
      'drospirenone / ethinyl estradiol',
      '3 MG / 0.02 MG',
      PACK,
      20.3,
      'ZERO-COST-SHARE-PREVENTIVE',
    ),
    g('483325', 'levonorgestrel 1.5 MG Oral Tablet', 'levonorgestrel', '1.5 MG', TAB, 39.9, 'ZERO-COST-SHARE-PREVENTIVE'),
    g('1000153', '1 ML medroxyprogesterone acetate 150 MG/ML Prefilled Syringe', 'medroxyprogesterone', '150 MG/ML', SYRINGE, 39.6, 'ZERO-COST-SHARE-PREVENTIVE'),
  ]),
  ...group('smoking-cessation', [
    g('636671', 'varenicline 0.5 MG Oral Tablet', 'varenicline', '0.5 MG', TAB, 39.8, 'ZERO-COST-SHARE-PREVENTIVE'),
    g('636676', 'varenicline 1 MG Oral Tablet', 'varenicline', '1 MG', TAB, 39.8, 'ZERO-COST-SHARE-PREVENTIVE'),
    g('198030', '24 HR nicotine 0.875 MG/HR Transdermal System', 'nicotine', '0.875 MG/HR', 'Transdermal System', 29.7, 'ZERO-COST-SHARE-PREVENTIVE'),
    g('314119', 'nicotine 2 MG Chewing Gum', 'nicotine', '2 MG', 'Chewing Gum', 24.8, 'ZERO-COST-SHARE-PREVENTIVE'),
    g(
      '1801289',
      'Smoking Cessation 12 HR bupropion hydrochloride 150 MG Extended Release Oral Tablet',
      'bupropion',
      '150 MG',
      ER_TAB,
      19.6,
      'ZERO-COST-SHARE-PREVENTIVE',
    ),
  ]),
  ...group('steroid', [
    g('312617', 'prednisone 5 MG Oral Tablet', 'prednisone', '5 MG', TAB, 4.1),
    g('198145', 'prednisone 10 MG Oral Tablet', 'prednisone', '10 MG', TAB, 4.3),
    g('312615', 'prednisone 20 MG Oral Tablet', 'prednisone', '20 MG', TAB, 5.1),
    g('198148', 'prednisone 50 MG Oral Tablet', 'prednisone', '50 MG', TAB, 8.2),
    g('198142', 'prednisolone 5 MG Oral Tablet', 'prednisolone', '5 MG', TAB, 8.0),
  ]),
  ...group('immunology', [
    g('197388', 'azathioprine 50 MG Oral Tablet', 'azathioprine', '50 MG', TAB, 15.3),
    g('200060', 'mycophenolate mofetil 500 MG Oral Tablet', 'mycophenolate mofetil', '500 MG', TAB, 20.2),
    g('205285', 'leflunomide 20 MG Oral Tablet', 'leflunomide', '20 MG', TAB, 25.1),
    g('198377', 'tacrolimus 1 MG Oral Capsule', 'tacrolimus', '1 MG', CAP, 39.7),
  ]),
  ...group('gastrointestinal', [
    g('991086', 'dicyclomine hydrochloride 20 MG Oral Tablet', 'dicyclomine', '20 MG', TAB, 10.2),
    g('1190572', 'atropine sulfate 0.025 MG / diphenoxylate hydrochloride 2.5 MG Oral Tablet', 'atropine / diphenoxylate', '0.025 MG / 2.5 MG', TAB, 15.1),
    g('198365', 'prochlorperazine 10 MG Oral Tablet', 'prochlorperazine', '10 MG', TAB, 8.1),
    g('992447', 'promethazine hydrochloride 25 MG Oral Tablet', 'promethazine', '25 MG', TAB, 6.0),
    g('995666', 'meclizine hydrochloride 25 MG Oral Tablet', 'meclizine', '25 MG', TAB, 5.2),
  ]),
  ...group('antihistamine', [
    g('995258', 'hydroxyzine hydrochloride 25 MG Oral Tablet', 'hydroxyzine', '25 MG', TAB, 5.1),
    g('995253', 'hydroxyzine pamoate 25 MG Oral Capsule', 'hydroxyzine', '25 MG', CAP, 6.2),
  ]),
  ...group('weight-loss', [
    // Weight-loss drugs are a classic ACA formulary exclusion: this one is covered by no demo plan.
    g('803353', 'phentermine hydrochloride 37.5 MG Oral Tablet', 'phentermine', '37.5 MG', TAB, 15.3),
  ]),
  ...group('specialty-biologic', [
    b('1872980', 'Humira 0.4 ML 100 MG/ML Auto-Injector', 'adalimumab', '100 MG/ML', AUTO, 'Humira', 6922.0, 'SPECIALTY'),
    g('1653223', '1 ML etanercept 50 MG/ML Auto-Injector', 'etanercept', '50 MG/ML', AUTO, 7106.4, 'SPECIALTY'),
    g('853350', '0.5 ML ustekinumab 90 MG/ML Prefilled Syringe', 'ustekinumab', '90 MG/ML', SYRINGE, 4852.3, 'SPECIALTY'),
    g('1653241', '1 ML secukinumab 150 MG/ML Auto-Injector', 'secukinumab', '150 MG/ML', AUTO, 6795.8, 'SPECIALTY'),
    g('1745103', '1 ML ixekizumab 80 MG/ML Auto-Injector', 'ixekizumab', '80 MG/ML', AUTO, 6890.2, 'SPECIALTY'),
    g('2048566', 'tofacitinib 10 MG Oral Tablet', 'tofacitinib', '10 MG', TAB, 5613.9, 'SPECIALTY'),
    g('1741046', '24 HR tofacitinib 11 MG Extended Release Oral Tablet', 'tofacitinib', '11 MG', ER_TAB, 5613.9, 'SPECIALTY'),
    g('1145929', '1 ML abatacept 125 MG/ML Prefilled Syringe', 'abatacept', '125 MG/ML', SYRINGE, 5218.6, 'SPECIALTY'),
    g('1653142', '0.5 ML golimumab 100 MG/ML Auto-Injector', 'golimumab', '100 MG/ML', AUTO, 5904.5, 'SPECIALTY'),
    g('849597', '1 ML certolizumab pegol 200 MG/ML Prefilled Syringe', 'certolizumab pegol', '200 MG/ML', SYRINGE, 5402.1, 'SPECIALTY'),
    g('1441527', '0.9 ML tocilizumab 180 MG/ML Prefilled Syringe', 'tocilizumab', '180 MG/ML', SYRINGE, 4786.7, 'SPECIALTY'),
    g('845507', 'everolimus 10 MG Oral Tablet', 'everolimus', '10 MG', TAB, 2815.4, 'SPECIALTY'),
  ]),
];

/** Catalogue indexed by RxCUI (built once; the catalogue is small). */
export const DRUGS_BY_RXCUI: ReadonlyMap<string, CatalogueDrug> = new Map(
  DRUG_CATALOGUE.map((drug) => [drug.rxnormId, drug]),
);

/** Key a brand and its generic equivalents share. */
export function equivalenceKey(drug: Pick<CatalogueDrug, 'ingredient' | 'strength' | 'doseForm'>): string {
  return `${drug.ingredient}|${drug.strength}|${drug.doseForm}`;
}

/** Generic equivalents of a brand (or other brands of a generic): same ingredient, strength and dose form. */
export function findEquivalents(drug: CatalogueDrug): CatalogueDrug[] {
  const key = equivalenceKey(drug);
  return DRUG_CATALOGUE.filter((other) => other.rxnormId !== drug.rxnormId && equivalenceKey(other) === key);
}
