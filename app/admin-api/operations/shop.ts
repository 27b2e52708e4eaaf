// The shop and the scopes it granted (app/admin-api/shop.server.ts).

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
