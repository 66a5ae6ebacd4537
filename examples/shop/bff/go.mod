module example.com/shop/bff

go 1.22
