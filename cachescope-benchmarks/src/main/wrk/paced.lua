-- Paces each wrk connection to one request every 3 ms after the previous response, so two
-- connections offer about 500 requests/s instead of as many as the server can take.
function delay()
  return 3
end
