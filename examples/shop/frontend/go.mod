module example.com/shop/frontend

go 1.22
