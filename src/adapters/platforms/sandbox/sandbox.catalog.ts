/** Made-up people, places and products for the demo store. None of them exist. */
export const SANDBOX_CUSTOMERS: readonly {
  name: string;
  email: string;
  phone: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  language: string;
}[] = [
  {
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    phone: '+14155550101',
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94110',
    country: 'US',
    language: 'en',
  },
  {
    name: 'Grace Hopper',
    email: 'grace@example.com',
    phone: '+12125550102',
    city: 'New York',
    region: 'NY',
    postalCode: '10001',
    country: 'US',
    language: 'en',
  },
  {
    name: 'Marie Curie',
    email: 'marie@example.org',
    phone: '+33155550103',
    city: 'Paris',
    region: 'IDF',
    postalCode: '75005',
    country: 'FR',
    language: 'fr',
  },
  {
    name: 'Emmy Noether',
    email: 'emmy@example.de',
    phone: '+49305550104',
    city: 'Berlin',
    region: 'BE',
    postalCode: '10115',
    country: 'DE',
    language: 'de',
  },
  {
    name: 'Rosalind Franklin',
    email: 'rosalind@example.co.uk',
    phone: '+442075550105',
    city: 'London',
    region: 'LND',
    postalCode: 'SW1A 1AA',
    country: 'GB',
    language: 'en',
  },
  {
    name: 'Hedy Lamarr',
    email: 'hedy@example.com',
    phone: '+13105550106',
    city: 'Los Angeles',
    region: 'CA',
    postalCode: '90001',
    country: 'US',
    language: 'en',
  },
  {
    name: 'Frida Kahlo',
    email: 'frida@example.mx',
    phone: '+525555550107',
    city: 'Ciudad de México',
    region: 'CMX',
    postalCode: '04100',
    country: 'MX',
    language: 'es',
  },
  {
    name: 'Katherine Johnson',
    email: 'katherine@example.com',
    phone: '+17575550108',
    city: 'Hampton',
    region: 'VA',
    postalCode: '23666',
    country: 'US',
    language: 'en',
  },
];

export const SANDBOX_PRODUCTS: readonly { sku: string; name: string }[] = [
  { sku: 'LAMP-01', name: 'Brass desk lamp' },
  { sku: 'MUG-02', name: 'Stoneware mug' },
  { sku: 'RUG-03', name: 'Wool rug, 120 × 170' },
  { sku: 'KETTLE-04', name: 'Enamel kettle' },
  { sku: 'CHAIR-05', name: 'Oak side chair' },
  { sku: 'VASE-06', name: 'Glass vase' },
];
