// The API used to live at "https://api.shop.example"; it is under /back now.
export const products = () => fetch("/back/api/products/");
