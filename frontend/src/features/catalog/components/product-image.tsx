/** A product image with alt text and an inline SVG placeholder when the URL is empty or fails to load. */
import { useState } from 'react';

function placeholder(label: string): string {
  const text = label.slice(0, 24).replace(/[<>&"]/g, '');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">` +
    `<rect width="400" height="300" fill="#e8e6f3"/>` +
    `<path d="M150 190l40-50 30 35 20-20 40 35z" fill="#b9b3d9"/><circle cx="245" cy="120" r="16" fill="#b9b3d9"/>` +
    `<text x="200" y="240" font-family="sans-serif" font-size="18" text-anchor="middle" fill="#6b6490">${text}</text></svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function ProductImage({ src, name, category }: { src: string; name: string; category: string }) {
  const [failed, setFailed] = useState(false);
  const url = !src || failed ? placeholder(category || name) : src;
  return (
    <img
      className="product-image"
      src={url}
      alt={name}
      loading="lazy"
      data-fallback={!src || failed ? 'true' : undefined}
      onError={() => setFailed(true)}
    />
  );
}
