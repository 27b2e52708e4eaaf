// The shop and the scopes it granted, and whether the app is still installed (app/admin-api/shop.server.ts).

export const SHOP_CONNECTION_QUERY = `#graphql
  query ShopConnection {
    shop {
      id
      name
      email
      myshopifyDomain
      currencyCode
      ianaTimezone
      plan {
        publicDisplayName
      }
      primaryDomain {
        host
      }
    }
    appInstallation {
      accessScopes {
        handle
      }
    }
  }
`;

/**
 * The cheapest question an offline token can ask: whether Shopify still accepts it. app/uninstalled
 * is confirmed with it (app/admin-api/shop.server.ts checkAppInstallation).
 */
export const APP_INSTALLATION_CHECK_QUERY = `#graphql
  query AppInstallationCheck {
    shop {
      id
    }
  }
`;
