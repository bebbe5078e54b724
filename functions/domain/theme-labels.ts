import type { Language } from './languages';
import type { Theme } from './theme-codes';

/** What each theme is called, for the dashboard, the managers' page and e-mails. */
export const themeLabels: Readonly<Record<Language, Readonly<Record<Theme, string>>>> = {
  en: {
    'staff-attitude': 'Staff attitude',
    'staff-advice': 'Advice and expertise',
    waiting: 'Waiting and speed',
    'product-quality': 'Product quality',
    'choice-stock': 'Choice and stock',
    'price-value': 'Price and value',
    delivery: 'Delivery',
    'returns-refunds': 'Returns and refunds',
    'checkout-payment': 'Checkout and payment',
    'store-environment': 'Store environment',
    'website-app': 'Website and app',
    contact: 'Phone, e-mail and replies',
  },
  fr: {
    'staff-attitude': 'Accueil du personnel',
    'staff-advice': 'Conseil et expertise',
    waiting: 'Attente et rapidité',
    'product-quality': 'Qualité des produits',
    'choice-stock': 'Choix et disponibilité',
    'price-value': 'Prix',
    delivery: 'Livraison',
    'returns-refunds': 'Retours et remboursements',
    'checkout-payment': 'Caisse et paiement',
    'store-environment': 'Magasin',
    'website-app': 'Site et application',
    contact: 'Téléphone, e-mail et réponses',
  },
  es: {
    'staff-attitude': 'Trato del personal',
    'staff-advice': 'Asesoramiento',
    waiting: 'Espera y rapidez',
    'product-quality': 'Calidad del producto',
    'choice-stock': 'Surtido y disponibilidad',
    'price-value': 'Precio',
    delivery: 'Entrega',
    'returns-refunds': 'Devoluciones y reembolsos',
    'checkout-payment': 'Caja y pago',
    'store-environment': 'Tienda',
    'website-app': 'Web y aplicación',
    contact: 'Teléfono, correo y respuestas',
  },
};
