/** Name, specialty and facility vocabularies for demo provider directories (all fictional people). */

export const FEMALE_FIRST_NAMES: readonly string[] = [
  'Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen',
  'Lisa', 'Nancy', 'Sandra', 'Ashley', 'Emily', 'Michelle', 'Amanda', 'Melissa', 'Stephanie', 'Rebecca',
  'Laura', 'Sharon', 'Cynthia', 'Kathleen', 'Amy', 'Angela', 'Anna', 'Brenda', 'Nicole', 'Samantha',
  'Katherine', 'Christine', 'Rachel', 'Carolyn', 'Janet', 'Maria', 'Catherine', 'Heather', 'Diane', 'Olivia',
  'Julie', 'Joyce', 'Victoria', 'Lauren', 'Kelly', 'Christina', 'Joan', 'Evelyn', 'Hannah', 'Megan',
  'Andrea', 'Cheryl', 'Jacqueline', 'Gloria', 'Teresa', 'Sara', 'Janice', 'Julia', 'Grace', 'Judy',
  'Sofia', 'Isabella', 'Camila', 'Valentina', 'Lucia', 'Carmen', 'Rosa', 'Gabriela', 'Adriana', 'Alejandra',
  'Mei', 'Li', 'Xin', 'Yan', 'Hana', 'Yuki', 'Soo-jin', 'Ji-woo', 'Linh', 'Thao',
  'Priya', 'Anjali', 'Deepa', 'Kavya', 'Neha', 'Aisha', 'Fatima', 'Layla', 'Noor', 'Amira',
  'Ngozi', 'Amara', 'Chioma', 'Zainab', 'Keisha', 'Tamika', 'Imani', 'Olga', 'Natalia', 'Irina',
];

export const MALE_FIRST_NAMES: readonly string[] = [
  'James', 'Robert', 'John', 'Michael', 'David', 'William', 'Richard', 'Joseph', 'Thomas', 'Christopher',
  'Charles', 'Daniel', 'Matthew', 'Anthony', 'Mark', 'Donald', 'Steven', 'Andrew', 'Paul', 'Joshua',
  'Kenneth', 'Kevin', 'Brian', 'George', 'Timothy', 'Ronald', 'Jason', 'Edward', 'Jeffrey', 'Ryan',
  'Jacob', 'Gary', 'Nicholas', 'Eric', 'Jonathan', 'Stephen', 'Larry', 'Justin', 'Scott', 'Brandon',
  'Benjamin', 'Samuel', 'Gregory', 'Alexander', 'Patrick', 'Frank', 'Raymond', 'Jack', 'Dennis', 'Jerry',
  'Tyler', 'Aaron', 'Nathan', 'Henry', 'Peter', 'Adam', 'Zachary', 'Douglas', 'Walter', 'Ethan',
  'Carlos', 'Jose', 'Luis', 'Miguel', 'Juan', 'Javier', 'Diego', 'Alejandro', 'Ricardo', 'Fernando',
  'Wei', 'Jun', 'Hao', 'Kenji', 'Hiroshi', 'Min-jun', 'Sung-ho', 'Minh', 'Duc', 'Quang',
  'Rahul', 'Arjun', 'Vikram', 'Sanjay', 'Amit', 'Omar', 'Ahmed', 'Hassan', 'Karim', 'Yusuf',
  'Chinedu', 'Emeka', 'Kwame', 'Tunde', 'Darnell', 'Malik', 'Andre', 'Dmitri', 'Sergei', 'Piotr',
];

export const LAST_NAMES: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
  'Thomas', 'Moore', 'Jackson', 'Martin', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker',
  'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Turner', 'Phillips', 'Campbell', 'Parker', 'Evans', 'Edwards',
  'Collins', 'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Morgan', 'Cooper', 'Peterson', 'Reed',
  'Bailey', 'Bell', 'Kelly', 'Howard', 'Ward', 'Cox', 'Richardson', 'Wood', 'Watson', 'Brooks',
  'Bennett', 'Gray', 'James', 'Hughes', 'Price', 'Sanders', 'Myers', 'Long', 'Ross', 'Foster',
  'Powell', 'Jenkins', 'Perry', 'Russell', 'Sullivan', 'Fisher', 'Henderson', 'Hamilton', 'Graham', 'Wallace',
  'Griffin', 'West', 'Cole', 'Hayes', 'Bryant', 'Gibson', 'Ellis', 'Stevens', 'Murray', 'Ford',
  'Marshall', 'Owens', 'McDonald', 'Harrison', 'Kennedy', 'Wells', 'Alexander', 'Tucker', 'Porter', 'Hunter',
  'Hicks', 'Crawford', 'Boyd', 'Mason', 'Warren', 'Dixon', 'Burns', 'Gordon', 'Shaw', 'Holmes',
  'Rice', 'Robertson', 'Hunt', 'Black', 'Daniels', 'Palmer', 'Mills', 'Grant', 'Knight', 'Ferguson',
  'Stone', 'Hawkins', 'Dunn', 'Perkins', 'Hudson', 'Spencer', 'Gardner', 'Stephens', 'Payne', 'Pierce',
  "O'Brien", "O'Connor", 'McCarthy', 'Fitzgerald', 'Gallagher', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Becker',
  'Hoffman', 'Kowalski', 'Nowak', 'Wisniewski', 'Ivanov', 'Petrov', 'Volkov', 'Novak', 'Horvat', 'Rossi',
  'Russo', 'Esposito', 'Romano', 'Colombo', 'Ricci', 'Greco', 'Bianchi', 'Costa', 'Silva', 'Santos',
  'Garcia', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Perez', 'Sanchez', 'Ramirez', 'Torres',
  'Flores', 'Rivera', 'Gomez', 'Diaz', 'Reyes', 'Morales', 'Cruz', 'Ortiz', 'Gutierrez', 'Chavez',
  'Ramos', 'Ruiz', 'Alvarez', 'Mendoza', 'Castillo', 'Jimenez', 'Vasquez', 'Moreno', 'Herrera', 'Medina',
  'Aguilar', 'Vargas', 'Castro', 'Guzman', 'Fernandez', 'Romero', 'Navarro', 'Delgado', 'Soto', 'Mejia',
  'Nguyen', 'Tran', 'Le', 'Pham', 'Hoang', 'Phan', 'Vu', 'Dang', 'Bui', 'Do',
  'Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou',
  'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Lin', 'Kim', 'Lee', 'Park', 'Choi',
  'Jung', 'Kang', 'Cho', 'Yoon', 'Tanaka', 'Suzuki', 'Takahashi', 'Watanabe', 'Ito', 'Nakamura',
  'Patel', 'Shah', 'Sharma', 'Singh', 'Kumar', 'Gupta', 'Reddy', 'Rao', 'Iyer', 'Mehta',
  'Desai', 'Joshi', 'Kapoor', 'Chopra', 'Malhotra', 'Khan', 'Ahmed', 'Ali', 'Hussain', 'Rahman',
  'Haddad', 'Khoury', 'Nasser', 'Saleh', 'Mansour', 'Farah', 'Abdullah', 'Hassan', 'Ibrahim', 'Yilmaz',
  'Okafor', 'Okonkwo', 'Adeyemi', 'Mensah', 'Owusu', 'Abebe', 'Tesfaye', 'Kamau', 'Mwangi', 'Diallo',
  'Washington', 'Jefferson', 'Freeman', 'Banks', 'Coleman', 'Simmons', 'Bishop', 'Greene', 'Stokes', 'Lambert',
  'Dubois', 'Lefebvre', 'Moreau', 'Laurent', 'Girard', 'Cohen', 'Levy', 'Friedman', 'Katz', 'Goldberg',
];

export interface SpecialtyDefinition {
  name: string;
  /** Relative frequency among individual providers. */
  weight: number;
  /** Physicians (and doctoral-level clinicians) carry the "Dr." prefix. */
  doctor: boolean;
}

export const SPECIALTIES: readonly SpecialtyDefinition[] = [
  { name: 'Family Medicine', weight: 14, doctor: true },
  { name: 'Internal Medicine', weight: 12, doctor: true },
  { name: 'Pediatrics', weight: 8, doctor: true },
  { name: 'Obstetrics & Gynecology', weight: 5, doctor: true },
  { name: 'Cardiology', weight: 4, doctor: true },
  { name: 'Psychiatry', weight: 4, doctor: true },
  { name: 'Dermatology', weight: 3, doctor: true },
  { name: 'Orthopedic Surgery', weight: 3, doctor: true },
  { name: 'Ophthalmology', weight: 3, doctor: true },
  { name: 'Neurology', weight: 3, doctor: true },
  { name: 'Oncology', weight: 2, doctor: true },
  { name: 'Endocrinology', weight: 2, doctor: true },
  { name: 'Gastroenterology', weight: 2, doctor: true },
  { name: 'Pulmonology', weight: 2, doctor: true },
  { name: 'General Surgery', weight: 2, doctor: true },
  { name: 'Emergency Medicine', weight: 2, doctor: true },
  { name: 'Nephrology', weight: 1.5, doctor: true },
  { name: 'Urology', weight: 1.5, doctor: true },
  { name: 'Otolaryngology', weight: 1.5, doctor: true },
  { name: 'Rheumatology', weight: 1, doctor: true },
  { name: 'Allergy & Immunology', weight: 1, doctor: true },
  { name: 'Infectious Disease', weight: 1, doctor: true },
  { name: 'Geriatric Medicine', weight: 1, doctor: true },
  { name: 'Psychology', weight: 4, doctor: true },
  { name: 'Optometry', weight: 2, doctor: true },
  { name: 'Chiropractic', weight: 2, doctor: true },
  { name: 'Podiatry', weight: 1, doctor: true },
  { name: 'Nurse Practitioner', weight: 5, doctor: false },
  { name: 'Physician Assistant', weight: 3, doctor: false },
  { name: 'Licensed Clinical Social Worker', weight: 4, doctor: false },
  { name: 'Licensed Professional Counselor', weight: 2, doctor: false },
  { name: 'Marriage & Family Therapist', weight: 1, doctor: false },
  { name: 'Physical Therapy', weight: 4, doctor: false },
  { name: 'Occupational Therapy', weight: 1, doctor: false },
  { name: 'Speech-Language Pathology', weight: 1, doctor: false },
  { name: 'Registered Dietitian', weight: 1, doctor: false },
  { name: 'Audiology', weight: 0.5, doctor: false },
];

/** Languages offered besides English, with a per-state likelihood (per cent of individuals). */
export const EXTRA_LANGUAGES: ReadonlyArray<{ language: string; percentByState: Record<'OH' | 'TX' | 'FL' | 'NY', number> }> = [
  { language: 'Spanish', percentByState: { OH: 8, TX: 32, FL: 34, NY: 20 } },
  { language: 'Chinese', percentByState: { OH: 3, TX: 3, FL: 2, NY: 7 } },
  { language: 'Vietnamese', percentByState: { OH: 1, TX: 4, FL: 2, NY: 1 } },
  { language: 'Korean', percentByState: { OH: 1, TX: 2, FL: 1, NY: 3 } },
  { language: 'Arabic', percentByState: { OH: 2, TX: 2, FL: 1, NY: 2 } },
  { language: 'Hindi', percentByState: { OH: 2, TX: 3, FL: 1, NY: 2 } },
  { language: 'Tagalog', percentByState: { OH: 1, TX: 2, FL: 2, NY: 1 } },
  { language: 'Russian', percentByState: { OH: 1, TX: 1, FL: 2, NY: 4 } },
  { language: 'French', percentByState: { OH: 1, TX: 1, FL: 2, NY: 2 } },
  { language: 'Haitian Creole', percentByState: { OH: 0, TX: 0, FL: 4, NY: 2 } },
  { language: 'Somali', percentByState: { OH: 2, TX: 0, FL: 0, NY: 0 } },
  { language: 'Portuguese', percentByState: { OH: 0, TX: 1, FL: 2, NY: 1 } },
  { language: 'Polish', percentByState: { OH: 1, TX: 0, FL: 0, NY: 2 } },
];

export const NAME_SUFFIXES: readonly string[] = ['Jr.', 'Sr.', 'II', 'III'];

export type FacilityType = 'Hospital' | 'Urgent Care' | 'Pharmacy' | 'Dialysis' | 'Laboratory';

export const FACILITY_TYPES: ReadonlyArray<{ type: FacilityType; weight: number }> = [
  { type: 'Hospital', weight: 20 },
  { type: 'Urgent Care', weight: 20 },
  { type: 'Pharmacy', weight: 30 },
  { type: 'Dialysis', weight: 10 },
  { type: 'Laboratory', weight: 20 },
];

export const FACILITY_ANCHORS: readonly string[] = [
  'Riverside', 'Mercy', "St. Luke's", 'Good Samaritan', 'Lakeview', 'University', 'Memorial', 'Providence',
  'Grace', 'Summit', 'Valley', 'Baptist', 'Methodist', 'Sacred Heart', 'Northside', 'Southwest', 'Harbor',
  'Pinecrest', 'Heritage', 'Bayfront', 'Oakwood', 'Cedar Point', 'Fairview', 'Hillcrest', 'Westgate',
];

/** Name patterns per facility type; "{anchor}" and "{city}" are substituted. */
export const FACILITY_NAME_PATTERNS: Readonly<Record<FacilityType, readonly string[]>> = {
  Hospital: [
    '{anchor} General Hospital',
    '{anchor} Medical Center',
    '{city} Regional Medical Center',
    '{anchor} Community Hospital',
    "{city} Children's Hospital",
    '{anchor} Memorial Hospital',
  ],
  'Urgent Care': ['{anchor} Urgent Care', '{city} Walk-In Urgent Care', '{anchor} Express Care', 'FirstCare Urgent Care of {city}'],
  Pharmacy: ['{anchor} Pharmacy', '{city} Family Pharmacy', '{anchor} Community Drug', 'Main Street Pharmacy of {city}'],
  Dialysis: ['{city} Dialysis Center', '{anchor} Kidney Care', '{anchor} Dialysis Services'],
  Laboratory: ['{anchor} Diagnostic Laboratory', '{city} Clinical Labs', '{anchor} Pathology Associates'],
};
