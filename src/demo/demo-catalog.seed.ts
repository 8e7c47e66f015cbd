import type { AppContext } from '../platform/context.js';
import type { DemoInfo } from './demo-info.js';
import { resolveVendor } from '../vendors/index.js';
import { applyProductRows, chainHasProducts, type ProductBody } from '../catalog/index.js';

type Unit = [name: string, brands: string[], sizes: Array<[label: string, price: number]>];
type Weighted = [name: string, pricePerKg: number, avgPieceKg: number | null];

/** Unit products: name, brands, and (size, ARS price) variants. */
const UNIT: Record<string, Unit[]> = {
  'Almacén/Infusiones/Yerba mate': [['Yerba mate', ['Playadito', 'Taragüí', 'La Merced', 'Rosamonte', 'CBSé', 'Amanda'], [['500 g', 2450], ['1 kg', 4599]]]],
  'Almacén/Infusiones/Café': [['Café molido', ['La Virginia', 'Cabrales', 'Bonafide'], [['250 g', 3890]]], ['Café instantáneo', ['Nescafé Dolca', 'La Virginia'], [['170 g', 5290]]]],
  'Almacén/Infusiones/Té': [['Té en saquitos x25', ['Taragüí', 'La Virginia', 'Green Hills'], [['25 u', 990]]]],
  'Almacén/Aceites y vinagres': [['Aceite de girasol', ['Natura', 'Cocinero', 'Cañuelas', 'Lira'], [['900 ml', 2199], ['1,5 L', 3499]]], ['Aceite de oliva extra virgen', ['Cocinero', 'Lira'], [['500 ml', 7490]]], ['Vinagre de alcohol', ['Menoyo', 'Dos Anclas'], [['1 L', 890]]]],
  'Almacén/Pastas secas': [['Fideos spaghetti', ['Matarazzo', 'Lucchetti', 'Don Vicente', 'Favorita'], [['500 g', 1290]]], ['Fideos mostachol', ['Matarazzo', 'Lucchetti', 'Favorita'], [['500 g', 1250]]], ['Fideos moño', ['Lucchetti', 'Don Vicente'], [['500 g', 1320]]]],
  'Almacén/Arroz y legumbres': [['Arroz largo fino', ['Gallo', 'Dos Hermanos', 'Lucchetti'], [['1 kg', 1690]]], ['Arroz doble carolina', ['Gallo', 'Dos Hermanos'], [['1 kg', 1890]]], ['Lentejas', ['Inca', 'Egran'], [['400 g', 1490]]]],
  'Almacén/Harinas': [['Harina 000', ['Blancaflor', 'Pureza', 'Morixe', 'Cañuelas'], [['1 kg', 990]]], ['Harina 0000', ['Blancaflor', 'Pureza', 'Favorita'], [['1 kg', 1090]]], ['Harina leudante', ['Blancaflor', 'Pureza'], [['1 kg', 1390]]]],
  'Almacén/Azúcar y endulzantes': [['Azúcar común', ['Ledesma', 'Chango', 'Hileret'], [['1 kg', 1290]]], ['Edulcorante líquido', ['Hileret', 'Chuker'], [['200 ml', 2190]]]],
  'Almacén/Conservas': [['Tomate perita en lata', ['La Campagnola', 'Arcor', 'Inca'], [['400 g', 990]]], ['Arvejas en lata', ['La Campagnola', 'Arcor', 'Inca'], [['350 g', 790]]], ['Atún al natural', ['La Campagnola', 'Gomes da Costa'], [['170 g', 2790]]], ['Puré de tomate', ['Arcor', 'Mora'], [['520 g', 890]]]],
  'Almacén/Galletitas': [['Galletitas de agua', ['Criollitas', 'Express', 'Traviata'], [['3 x 100 g', 1390]]], ['Galletitas dulces', ['Chocolinas', 'Oreo', 'Pepitos', 'Terrabusi Variedad', 'Bagley Sonrisas'], [['170 g', 1590]]]],
  'Almacén/Sal y especias': [['Sal fina', ['Celusal', 'Dos Anclas'], [['500 g', 690]]], ['Pimentón', ['Alicante', 'La Parmesana'], [['50 g', 890]]], ['Orégano', ['Alicante', 'Dos Anclas'], [['25 g', 690]]]],
  'Desayuno y merienda/Dulces': [['Dulce de leche clásico', ['La Serenísima', 'Sancor', 'Milkaut'], [['400 g', 2390]]], ['Mermelada de durazno', ['Arcor', 'BC La Campagnola'], [['454 g', 1890]]]],
  'Desayuno y merienda/Cereales': [['Copos de maíz', ['Kellogg\'s Corn Flakes', 'Granix'], [['300 g', 2990]]], ['Avena arrollada', ['Quaker', 'Granix'], [['400 g', 1590]]]],
  'Lácteos/Leches': [['Leche entera', ['La Serenísima', 'Sancor', 'Ilolay'], [['1 L', 1350]]], ['Leche descremada', ['La Serenísima', 'Sancor'], [['1 L', 1390]]], ['Leche chocolatada', ['Cindor', 'La Serenísima'], [['1 L', 1990]]]],
  'Lácteos/Yogures': [['Yogur bebible frutilla', ['Ser', 'Yogurísimo', 'La Serenísima'], [['900 g', 2690]]], ['Yogur firme vainilla', ['Danone', 'Yogurísimo'], [['190 g', 890]]]],
  'Lácteos/Quesos y mantecas': [['Queso crema', ['Casancrem', 'Mendicrim', 'La Paulina'], [['290 g', 2890]]], ['Manteca', ['La Serenísima', 'Sancor', 'Tonadita'], [['200 g', 2590]]], ['Queso rallado', ['La Serenísima', 'La Paulina'], [['150 g', 3290]]]],
  'Bebidas/Gaseosas': [['Gaseosa cola', ['Coca-Cola', 'Pepsi', 'Manaos'], [['500 ml', 1090], ['1,5 L', 2290], ['2,25 L', 2990]]], ['Gaseosa lima limón', ['Sprite', '7Up'], [['1,5 L', 2190]]], ['Gaseosa naranja', ['Fanta', 'Mirinda'], [['1,5 L', 2190]]]],
  'Bebidas/Aguas': [['Agua mineral sin gas', ['Villavicencio', 'Villa del Sur', 'Eco de los Andes', 'Glaciar'], [['500 ml', 790], ['2 L', 1390]]], ['Agua saborizada pomelo', ['Levité', 'Aquarius'], [['1,5 L', 1690]]]],
  'Bebidas/Cervezas': [['Cerveza rubia lata', ['Quilmes', 'Brahma', 'Stella Artois', 'Patagonia Amber', 'Andes Origen'], [['473 ml', 1490]]], ['Cerveza rubia botella', ['Quilmes', 'Stella Artois'], [['1 L', 2590]]]],
  'Bebidas/Vinos': [['Vino tinto Malbec', ['Alamos', 'Trapiche', 'Santa Julia', 'Luigi Bosca', 'Norton'], [['750 ml', 6990]]], ['Vino tinto en cartón', ['Toro', 'Termidor'], [['1 L', 1990]]]],
  'Bebidas/Aperitivos': [['Fernet', ['Fernet Branca', '1882'], [['750 ml', 12990]]], ['Aperitivo', ['Gancia', 'Campari', 'Cinzano'], [['950 ml', 7490]]]],
  'Limpieza/Ropa': [['Jabón líquido para ropa', ['Ala', 'Skip', 'Ariel'], [['3 L', 9990]]], ['Suavizante', ['Vivere', 'Comfort'], [['900 ml', 2990]]]],
  'Limpieza/Hogar': [['Detergente', ['Magistral', 'Ala', 'Cif'], [['500 ml', 1890]]], ['Lavandina', ['Ayudín', 'Querubín'], [['1 L', 990]]], ['Limpiador líquido', ['Procenex', 'Cif', 'Mr Músculo'], [['900 ml', 1690]]]],
  'Perfumería/Cuidado personal': [['Pasta dental', ['Colgate', 'Kolynos', 'Oral-B'], [['90 g', 1990]]], ['Shampoo', ['Sedal', 'Pantene', 'Dove', 'Head & Shoulders'], [['340 ml', 3890]]], ['Desodorante aerosol', ['Rexona', 'Axe', 'Dove'], [['150 ml', 2990]]], ['Jabón de tocador', ['Dove', 'Lux', 'Rexona'], [['90 g', 990]]]],
  'Perfumería/Papelería': [['Papel higiénico x4', ['Elite', 'Higienol', 'Campanita'], [['4 x 30 m', 2290]]], ['Rollo de cocina x3', ['Elite', 'Sussex'], [['3 u', 2490]]]],
  'Panadería': [['Pan lactal blanco', ['Fargo', 'Bimbo'], [['550 g', 2890]]], ['Medialunas de manteca x6', ['Panadería del barrio'], [['6 u', 2400]]]],
  'Congelados': [['Papas prefritas', ['McCain', 'Granja del Sol'], [['720 g', 4290]]], ['Hamburguesas x4', ['Paty', 'Swift'], [['320 g', 3990]]], ['Helado', ['Frigor', 'Grido'], [['1 kg', 6990]]]],
};

/** Items sold by weight: ARS price per kg and the average piece weight (for the picker). */
const WEIGHTED: Record<string, Weighted[]> = {
  'Frutas y Verduras/Frutas': [['Banana Ecuador', 1899, 0.18], ['Manzana roja', 2499, 0.2], ['Manzana verde', 2699, 0.2], ['Naranja de jugo', 1299, 0.25], ['Mandarina', 1599, 0.12], ['Limón', 1999, 0.12], ['Pera Williams', 2299, 0.2], ['Durazno', 2999, 0.15], ['Kiwi', 3999, 0.09], ['Uva blanca', 4499, null]],
  'Frutas y Verduras/Verduras': [['Tomate redondo', 2199, 0.18], ['Tomate perita', 1999, 0.1], ['Papa negra', 899, 0.2], ['Batata', 1199, 0.35], ['Cebolla', 999, 0.15], ['Zanahoria', 1099, 0.12], ['Zapallo anco', 1299, 1.2], ['Zapallito redondo', 1799, 0.25], ['Morrón rojo', 4999, 0.2], ['Berenjena', 2299, 0.3], ['Ajo', 6999, 0.05], ['Pepino', 2499, 0.3]],
  'Carnicería/Vacuno': [['Asado de tira', 10999, null], ['Vacío', 12999, null], ['Matambre', 11999, null], ['Bife de chorizo', 14999, 0.35], ['Nalga', 13499, null], ['Cuadrada', 12499, null], ['Carne picada común', 7499, null], ['Carne picada especial', 9499, null], ['Osobuco', 6499, 0.4]],
  'Carnicería/Pollo y cerdo': [['Pollo entero', 3999, 2.4], ['Pechuga de pollo', 6999, 0.35], ['Pata y muslo', 4299, 0.3], ['Bondiola de cerdo', 9999, null], ['Chorizo parrillero', 7999, 0.1], ['Morcilla', 5999, 0.1]],
  'Fiambrería': [['Jamón cocido', 15999, null], ['Queso de máquina', 11999, null], ['Salame milán', 18999, null], ['Mortadela', 8999, null], ['Queso cremoso', 9999, null], ['Queso reggianito', 17999, null], ['Paleta cocida', 10999, null]],
  'Panadería': [['Pan francés', 2999, 0.06], ['Bizcochos de grasa', 6999, null]],
};

function ean13(seed: number): string {
  const body = `779${String(seed).padStart(9, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return body + ((10 - (sum % 10)) % 10);
}

function code(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .slice(0, 3)
    .toUpperCase();
}

/** The demo assortment: a few hundred Argentine supermarket products, unit and weighted. */
export function demoProducts(): ProductBody[] {
  const out: ProductBody[] = [];
  let n = 0;
  for (const [category, items] of Object.entries(UNIT)) {
    for (const [name, brands, sizes] of items) {
      for (const brand of brands) {
        for (const [size, price] of sizes) {
          n++;
          const sku = `${code(category.split('/').pop()!)}-${String(n).padStart(4, '0')}`;
          // Brands price differently: a stable ±12 % spread around the category price.
          const factor = 0.88 + ((n * 37) % 25) / 100;
          out.push({
            sku,
            barcode: [ean13(100000 + n)],
            title: { es_AR: `${name} ${brand} ${size}` },
            description: { es_AR: `${name} marca ${brand}, presentación ${size}.` },
            categories: [category],
            brand,
            is_sold_by_weight: false,
            vat_percent: category.startsWith('Lácteos/Leches') ? 10.5 : 21,
            price: Math.round(price * factor) - 0.01,
            maximum_sales_quantity: category.startsWith('Bebidas/Aperitivos') ? 6 : null,
          });
        }
      }
    }
  }
  for (const [category, items] of Object.entries(WEIGHTED)) {
    for (const [name, pricePerKg, avg] of items) {
      n++;
      const sku = `KG-${code(category.split('/').pop()!)}-${String(n).padStart(4, '0')}`;
      out.push({
        sku,
        barcode: [`2${String(n).padStart(6, '0')}`],
        title: { es_AR: `${name} x kg` },
        description: { es_AR: `${name}, se vende por peso; el precio final depende del peso pesado por el picker.` },
        categories: [category],
        is_sold_by_weight: true,
        weight_specifications: { base_weight: 1, average_weight_per_piece: avg },
        vat_percent: category.startsWith('Frutas') ? 10.5 : 21,
        price: pricePerKg,
        sales_buffer: 2,
      });
    }
  }
  return out;
}

/**
 * Demo seeder: lists the demo assortment on every demo store, each store with its own prices (the
 * Pelican store is 4 % dearer) and a few products inactive. Runs once: a chain that already has
 * products is left alone, so partners' changes survive restarts.
 */
export async function seedDemoCatalog(ctx: AppContext, info: DemoInfo): Promise<void> {
  const any = await chainHasProducts(ctx.db, info.chain_id);
  if (any) return;
  const products = demoProducts();
  const stores: Array<[string, number]> = [
    [info.vendors.direct, 1],
    [info.vendors.indirect, 1.04],
    [info.vendors.test, 1],
  ];
  await ctx.db.transaction().execute(async (trx) => {
    const cache = new Map<string, string>();
    for (const [code, factor] of stores) {
      const vendor = await resolveVendor(trx, info.chain_id, code);
      if (!vendor) continue;
      const rows = products.map((p, i) => ({ ...p, price: Math.round(Number(p.price) * factor * 100) / 100, active: i % 23 !== 7 }));
      await applyProductRows(ctx, trx, info.chain_id, [vendor.id], rows, 0, cache);
    }
  });
}
