import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadCbisDdsm, loadInbreast, loadKau, loadVindr } from '../../../src/data/adapters/index.js';
import { makeTree } from './tree.js';

const UID_A = '1.3.6.1.4.1.9590.100.1.2.111';
const SER_A = '1.3.6.1.4.1.9590.100.1.2.342386194811267636608694132590482924515';

test('CBIS-DDSM: both density headers, newline paths, NBIA-renamed folders, mass+calc merged', async () => {
  const massTrain = [
    'patient_id,breast_density,left or right breast,image view,abnormality id,abnormality type,mass shape,mass margins,assessment,pathology,subtlety,image file path,cropped image file path,ROI mask file path',
    // Exact path, ending with a newline inside quotes.
    `P_00001,3,LEFT,CC,1,mass,OVAL,CIRCUMSCRIBED,4,MALIGNANT,4,"Mass-Training_P_00001_LEFT_CC/${UID_A}/${SER_A}/000000.dcm\n",crop,"Mass-Training_P_00001_LEFT_CC_1/${UID_A}/1.2.3/000001.dcm\n"`,
    // Second ROI on the same image.
    `P_00001,3,LEFT,CC,2,mass,ROUND,CIRCUMSCRIBED,3,BENIGN,4,"Mass-Training_P_00001_LEFT_CC/${UID_A}/${SER_A}/000000.dcm",crop,roi`,
    // NBIA layout: the CSV path does not exist, the case folder holds one DICOM.
    `P_00002,2,RIGHT,MLO,1,mass,OVAL,ILL,3,BENIGN_WITHOUT_CALLBACK,3,Mass-Training_P_00002_RIGHT_MLO/${UID_A}/9.9.12345/000000.dcm,crop,roi`,
    // No such case at all.
    `P_00003,2,RIGHT,MLO,1,mass,OVAL,ILL,3,BENIGN,3,Mass-Training_P_00003_RIGHT_MLO/x/y/000000.dcm,crop,roi`,
    // Unknown pathology.
    `P_00004,2,RIGHT,MLO,1,mass,OVAL,ILL,3,UNSURE,3,Mass-Training_P_00004_RIGHT_MLO/x/y/000000.dcm,crop,roi`,
  ].join('\r\n');
  const calcTest = [
    'patient_id,breast density,left or right breast,image view,abnormality id,abnormality type,calc type,calc distribution,assessment,pathology,subtlety,image file path,cropped image file path,ROI mask file path',
    // Same image as the first mass rows (same DDSM scan): merged; split conflict reported.
    `P_00001,3,LEFT,CC,1,calcification,PLEOMORPHIC,CLUSTERED,5,MALIGNANT,2,Calc-Test_P_00001_LEFT_CC/${UID_A}/${SER_A}/000000.dcm,crop,roi`,
    // Series folder renamed "1.000000-full mammogram images-24515" beside a second DICOM.
    `P_00005,1,LEFT,MLO,1,calcification,AMORPHOUS,CLUSTERED,4,BENIGN,2,Calc-Test_P_00005_LEFT_MLO/${UID_A}/${SER_A}/000000.dcm,crop,roi`,
  ].join('\n');
  const root = await makeTree({
    'mass_case_description_train_set.csv': massTrain,
    'csv/calc_case_description_test_set.csv': calcTest,
    [`CBIS-DDSM/Mass-Training_P_00001_LEFT_CC/${UID_A}/${SER_A}/000000.dcm`]: '',
    [`CBIS-DDSM/Mass-Training_P_00001_LEFT_CC_1/${UID_A}/1.2.3/000001.dcm`]: '',
    'CBIS-DDSM/Mass-Training_P_00002_RIGHT_MLO/07-20-2016-DDSM-NA-1/1.000000-full mammogram images-12345/1-1.dcm': '',
    'CBIS-DDSM/Calc-Test_P_00001_LEFT_CC/x/1.000000-full mammogram images-24515/1-1.dcm': '',
    'CBIS-DDSM/Calc-Test_P_00005_LEFT_MLO/08-29-2017-DDSM-NA-2/1.000000-full mammogram images-24515/1-1.dcm': '',
    'CBIS-DDSM/Calc-Test_P_00005_LEFT_MLO/08-29-2017-DDSM-NA-2/2.000000-other-99999/1-1.dcm': '',
  });
  const { records, problems } = await loadCbisDdsm(root);
  assert.deepEqual(
    records.map((r) => [r.id, r.patientId, r.label, r.birads, r.density, r.officialSplit, r.laterality, r.view, r.unlocatedLesions]),
    [
      ['P_00001_LEFT_CC', 'P_00001', 'malignant', '5', '3', 'train', 'L', 'CC', 3],
      ['P_00002_RIGHT_MLO', 'P_00002', 'benign', '3', '2', 'train', 'R', 'MLO', 1],
      ['P_00005_LEFT_MLO', 'P_00005', 'benign', '4', '1', 'test', 'L', 'MLO', 1],
    ],
  );
  assert.equal(records[0]!.imagePath, join(root, `CBIS-DDSM/Mass-Training_P_00001_LEFT_CC/${UID_A}/${SER_A}/000000.dcm`));
  assert.deepEqual(records[0]!.annotationPaths, [join(root, `CBIS-DDSM/Mass-Training_P_00001_LEFT_CC_1/${UID_A}/1.2.3/000001.dcm`)]);
  assert.equal(records[1]!.imagePath, join(root, 'CBIS-DDSM/Mass-Training_P_00002_RIGHT_MLO/07-20-2016-DDSM-NA-1/1.000000-full mammogram images-12345/1-1.dcm'));
  assert.equal(records[2]!.imagePath, join(root, 'CBIS-DDSM/Calc-Test_P_00005_LEFT_MLO/08-29-2017-DDSM-NA-2/1.000000-full mammogram images-24515/1-1.dcm'));
  const reasons = problems.map((p) => p.reason);
  assert.equal(problems.length, 3);
  assert.ok(reasons.some((r) => r.startsWith('image not found') && r.includes('P_00003')));
  assert.ok(reasons.includes('unknown pathology "UNSURE"'));
  assert.ok(reasons.includes('P_00001_LEFT_CC is in the train CSVs and the test CSVs; kept train'));
});

const INBREAST_XML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict><key>Images</key><array><dict>
<key>ImageIndex</key><integer>0</integer><key>NumberOfROIs</key><integer>2</integer>
<key>ROIs</key><array>
<dict><key>Name</key><string>Mass</string><key>NumberOfPoints</key><integer>4</integer>
<key>Point_px</key><array><string>(100, 200)</string><string>(110, 200)</string><string>(110, 210)</string><string>(100, 210)</string></array>
<key>Total</key><real>1.5</real><key>Visible</key><true/></dict>
<dict><key>Name</key><string>Calcification</string><key>Point_px</key><array><string>(300.5, 400.25)</string></array></dict>
</array></dict></array></dict></plist>`;

test('INbreast: semicolon CSV, patient = hash from the DICOM name, BI-RADS labels, ROI centres', async () => {
  const csv = [
    'Patient ID;Patient age;Laterality;View;Acquisition date;File Name;ACR;Bi-Rads',
    'removed;removed;L;CC;201001;22678622;4;4c',
    'removed;removed;R;MLO;201001;22678646; ;1',
    'removed;removed;L;MLO;201001;22678700;2;3',
    'removed;removed;L;MLO;201001;22678700;2;3', // duplicate
    'removed;removed;L;MLO;201001;22678800;2;7', // unknown BI-RADS
    'removed;removed;L;MLO;201001;22678900;2;2', // no DICOM
    '',
  ].join('\n');
  const root = await makeTree({
    'INbreast.csv': csv,
    'AllDICOMs/22678622_0a1b2c3d4e5f6071_MG_L_CC_ANON.dcm': '',
    'AllDICOMs/22678646_0a1b2c3d4e5f6071_MG_R_ML_ANON.dcm': '', // malformed name: view ML
    'AllDICOMs/22678646_0a1b2c3d4e5f6071_MG_R_MLO_ANON.dcm': '',
    'AllDICOMs/22678700_ffffeeeeddddcccc_MG_L_MLO_ANON.dcm': '',
    'AllDICOMs/22678800_ffffeeeeddddcccc_MG_L_CC_ANON.dcm': '',
    'AllXML/22678622.xml': INBREAST_XML,
  });
  const { records, problems } = await loadInbreast(root);
  assert.deepEqual(
    records.map((r) => [r.id, r.patientId, r.laterality, r.view, r.label, r.birads, r.density]),
    [
      ['22678622', '0a1b2c3d4e5f6071', 'L', 'CC', 'malignant', '4c', '4'],
      ['22678646', '0a1b2c3d4e5f6071', 'R', 'MLO', 'normal', '1', undefined],
      ['22678700', 'ffffeeeeddddcccc', 'L', 'MLO', 'benign', '3', '2'],
    ],
  );
  assert.deepEqual(records[0]!.lesions, [
    { x: 105, y: 205, radius: Math.hypot(5, 5), kind: 'Mass' },
    { x: 300.5, y: 400.25, radius: 1, kind: 'Calcification' },
  ]);
  assert.deepEqual(
    problems.map((p) => p.reason),
    ['duplicate File Name 22678700', '22678800: unknown Bi-Rads "7"', '22678900: no DICOM named 22678900_<hash>_MG_<L|R>_<view>_ANON.dcm'],
  );
});

test('VinDr-Mammo: patient = study, BI-RADS strings, finding boxes, missing files', async () => {
  const breast = [
    'study_id,series_id,image_id,laterality,view_position,height,width,breast_birads,breast_density,split',
    's1,se1,i1,L,CC,3518,2800,BI-RADS 1,DENSITY C,training',
    's1,se1,i2,R,MLO,3518,2800,BI-RADS 4,DENSITY C,training',
    's2,se2,i3,L,CC,3518,2800,BI-RADS 3,DENSITY B,test',
    's2,se2,i3,L,CC,3518,2800,BI-RADS 3,DENSITY B,test', // duplicate
    's2,se2,i4,R,CC,3518,2800,BI-RADS X,DENSITY B,test', // unknown
    's3,se3,i5,R,CC,3518,2800,BI-RADS 2,DENSITY A,test', // missing file
  ].join('\n');
  const findings = [
    'study_id,series_id,image_id,laterality,view_position,height,width,breast_birads,breast_density,finding_categories,finding_birads,xmin,ymin,xmax,ymax,split',
    `s1,se1,i2,R,MLO,3518,2800,BI-RADS 4,DENSITY C,"['Mass']",BI-RADS 4,100,200,140,260,training`,
    `s1,se1,i1,L,CC,3518,2800,BI-RADS 1,DENSITY C,"['No Finding']",,,,,,training`,
  ].join('\n');
  const root = await makeTree({
    'breast-level_annotations.csv': breast,
    'finding_annotations.csv': findings,
    'images/s1/i1.dicom': '',
    'images/s1/i2.dicom': '',
    'images/s2/i3.dicom': '',
    'images/s2/i4.dicom': '',
  });
  const { records, problems } = await loadVindr(root);
  assert.deepEqual(
    records.map((r) => [r.id, r.patientId, r.label, r.birads, r.density, r.officialSplit, r.laterality, r.view]),
    [
      ['i1', 's1', 'normal', '1', 'C', 'train', 'L', 'CC'],
      ['i2', 's1', 'malignant', '4', 'C', 'train', 'R', 'MLO'],
      ['i3', 's2', 'benign', '3', 'B', 'test', 'L', 'CC'],
    ],
  );
  assert.equal(records[0]!.imagePath, join(root, 'images/s1/i1.dicom'));
  assert.deepEqual(records[1]!.lesions, [{ x: 120, y: 230, radius: 30, kind: 'Mass' }]);
  assert.deepEqual(records[0]!.lesions, []);
  assert.deepEqual(
    problems.map((p) => p.reason),
    ['duplicate image_id i3', 'i4: unknown breast_birads "BI-RADS X"', 'missing file images/s3/i5.dicom'],
  );
});

test('KAU-BCMD: nested Birad folders, patient from the name, bad names and duplicates', async () => {
  const root = await makeTree({
    'Birad1/2013_BC003026_ CC_R.jpg': '',
    'Birad1/2013_BC003026_ MLO_R.jpg': '',
    'Birad3/b3/2014_BC000101_ CC_L.jpg': '',
    'Birad5/2015_BC000202_ MLO_L.JPG': '',
    'Birad5/more/2015_BC000202_ MLO_L.jpg': '', // duplicate of the one above
    'Birad4/scan.jpg': '', // name without view/side
    'loose/2016_BC000303_ CC_L.jpg': '', // not under a BiradN folder
    'Birad4/notes.txt': 'ignored',
  });
  const { records, problems } = await loadKau(root);
  assert.deepEqual(
    records.map((r) => [r.id, r.patientId, r.label, r.birads, r.view, r.laterality]),
    [
      ['2013_BC003026_CC_R', '2013_BC003026', 'normal', '1', 'CC', 'R'],
      ['2013_BC003026_MLO_R', '2013_BC003026', 'normal', '1', 'MLO', 'R'],
      ['2014_BC000101_CC_L', '2014_BC000101', 'benign', '3', 'CC', 'L'],
      ['2015_BC000202_MLO_L', '2015_BC000202', 'malignant', '5', 'MLO', 'L'],
    ],
  );
  assert.deepEqual(
    problems.map((p) => [p.source.slice(root.length + 1), p.reason.split(' (')[0]]),
    [
      ['Birad4/scan.jpg', 'file name is not <year>_<case>_ <CC|MLO>_<L|R>.jpg'],
      ['Birad5/more/2015_BC000202_ MLO_L.jpg', 'duplicate image 2015_BC000202_MLO_L'],
      ['loose/2016_BC000303_ CC_L.jpg', 'not under a BiradN folder'],
    ],
  );
});
