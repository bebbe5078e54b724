import { describe, expect, it } from 'vitest';
import { renderSurveyPage, renderThanksPage } from '../../../functions/templates/survey-page';

describe('renderThanksPage', () => {
  const base = { locale: 'en', brand: 'Maison', storeName: 'Lyon <1>' };

  it('invites a promoter to a public review when the business has a review page', () => {
    const page = renderThanksPage({
      ...base,
      category: 'promoter',
      reviewUrl: 'https://reviews.example/maison?a=1&b=2',
    });
    expect(page).toContain('href="https://reviews.example/maison?a=1&amp;b=2"');
    expect(page).toContain('Would you share that in a public review?');
  });

  it('tells a detractor the store manager will be in touch, and asks nothing of them', () => {
    const page = renderThanksPage({
      ...base,
      category: 'detractor',
      reviewUrl: 'https://reviews.example/maison',
    });
    expect(page).toContain('The manager of Lyon &lt;1&gt; will be in touch');
    expect(page).not.toContain('reviews.example');
  });
});

describe('renderSurveyPage', () => {
  it('preselects the clicked score, escapes the comment and carries the script nonce', () => {
    const page = renderSurveyPage({
      locale: 'en',
      brand: 'Maison',
      score: 7,
      comment: '</textarea><script>x</script>',
      reasons: ['price'],
      nonce: 'n0nce',
    });
    expect(page).toContain('value="7" required checked');
    expect(page).toContain('&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;');
    expect(page).toContain('value="price" checked');
    expect(page).toContain('<script nonce="n0nce">');
    expect(page.match(/<script/g)).toHaveLength(1);
  });

  it('does not save anything automatically when no score was clicked', () => {
    expect(renderSurveyPage({ locale: 'en', brand: 'Maison', reasons: [], nonce: 'n' })).toContain(
      'data-autosave="false"',
    );
  });
});
