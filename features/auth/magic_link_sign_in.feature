@allure.label.epic:Sign-in @fakes
Feature: Magic-link sign-in
  People sign in to the portal without a password: they ask for a sign-in link, the portal
  emails it, and following the link signs them in. Whoever holds a link can use it, so the
  portal treats it like a key: it works once, for a short time, and the portal never keeps
  a copy of it.

  Background:
    Given Theo has an active portal account

  Rule: Anyone may ask for a link, and the answer never reveals who has an account

    @allure.severity:critical
    Scenario: An account holder receives a sign-in link by email
      When Theo asks for a sign-in link
      Then the portal tells Theo that a link is on its way if the address has an account
      And Theo receives a sign-in email

    @negative @security @allure.severity:critical
    Scenario: Account holders, suspended account holders and visitors all get the same answer
      Given Sam's account is suspended
      When Theo, Sam and Uma each ask for a sign-in link
      Then the three answers are identical
      And only Theo receives a sign-in email

    @negative
    Scenario: The answer does not wait for the email to go out
      Given the email provider has stopped answering
      When Theo asks for a sign-in link
      Then the portal tells Theo that a link is on its way if the address has an account
      And Theo receives a sign-in email once the email provider answers again

  Rule: A link carries a key of at least 256 bits, and the portal keeps only a hash of it
    The key comes from the operating system's cryptographic random generator; the unit tests
    of the portal's token module check that. Here we check what anyone can observe.

    @security @allure.severity:critical
    Scenario: The portal keeps a hash of the key, never the key itself
      When Theo asks for a sign-in link
      Then the key in Theo's sign-in link is at least 256 bits long
      And the portal keeps only a hash of that key
      But the key itself is kept nowhere in the portal

  Rule: A link works once, within 15 minutes, and only the newest link works

    @allure.severity:critical
    Scenario: A fresh link signs Theo in
      Given Theo has received a sign-in link
      When Theo follows the link
      Then Theo is signed in

    @negative
    Scenario: A link that has been used does not work again
      Given Theo has signed in with a sign-in link
      When Theo follows the same link again
      Then the sign-in is refused

    @negative
    Scenario: Confirming again from a second tab is refused
      Given Theo has opened his sign-in link in two browser tabs
      And Theo has confirmed the sign-in in the first tab
      When Theo confirms the sign-in in the second tab
      Then the sign-in is refused

    Scenario Outline: A link expires 15 minutes after it was sent
      Given Theo received a sign-in link <age> minutes ago
      When Theo follows the link
      Then <outcome>

      Examples: Within the quarter hour
        | age | outcome           |
        | 14  | Theo is signed in |

      @negative
      Examples: Too late
        | age | outcome                |
        | 16  | the sign-in is refused |

    @negative
    Scenario: Asking for a new link retires the earlier one
      Given Theo has received a sign-in link
      And Theo has since asked for another sign-in link
      When Theo follows the earlier link
      Then the sign-in is refused

    Scenario: The newest link still works
      Given Theo has received a sign-in link
      And Theo has since asked for another sign-in link
      When Theo follows the newer link
      Then Theo is signed in

    @local
    Scenario: The studio can give links a longer life
      Given the portal is configured to let sign-in links live 30 minutes
      And Theo received a sign-in link 20 minutes ago
      When Theo follows the link
      Then Theo is signed in

  Rule: Opening a link only shows a confirmation; confirming it is what signs in

    Scenario: Opening a link asks for confirmation and signs nobody in yet
      Given Theo has received a sign-in link
      When Theo opens the link
      Then Theo is asked to confirm the sign-in
      And Theo is not signed in

    @negative
    Scenario: A mail scanner that opens the link does not use it up
      Given Theo has received a sign-in link
      And a mail scanner has opened the link twice
      When Theo follows the link
      Then Theo is signed in

    @negative @concurrency @allure.severity:critical
    Scenario: Fifty confirmations racing for one link start exactly one session
      Given Theo has received a sign-in link
      When the link is confirmed from 50 browsers at the same moment
      Then exactly one browser is signed in as Theo
      And the other 49 get the refusal

    @concurrency
    Scenario: A hundred people confirming their own links at the same moment are all signed in
      Given 100 account holders have each received a sign-in link
      When all 100 confirm their links at the same moment
      Then all 100 are signed in, each as themselves

  Rule: A link that is used, expired, superseded, unknown, malformed or suspended gets one and the same refusal

    @negative @security
    Scenario Outline: <kind> is refused exactly like a link that never existed
      Given Theo holds <kind>
      When Theo follows the link
      Then the sign-in is refused with the same answer as for a link that never existed
      And Theo is not signed in

      Examples:
        | kind                                          |
        | a link he has already used                    |
        | a link that expired                           |
        | a link superseded by a newer one              |
        | a link with a key the portal never issued     |
        | a link with a mangled key                     |
        | a link with no key at all                     |
        | a link whose key has characters no key holds  |

    @negative @security
    Scenario: A suspended account holder's unexpired link is refused
      Given Theo has received a sign-in link
      And Theo's account has since been suspended
      When Theo follows the link
      Then the sign-in is refused with the same answer as for a link that never existed

  Rule: A session is a fresh, secret cookie that ends on sign-out and 12 hours after sign-in

    Scenario: A signed-in account holder sees who they are
      Given Theo has signed in with a sign-in link
      When Theo looks at his profile
      Then Theo sees his name, the role "producer" and the organisation "Brightside Agency"

    @security
    Scenario: The session cookie is out of reach of page scripts and of other sites' posts, and kept as long as the session
      When Theo signs in with a sign-in link
      Then Theo's session cookie is hidden from page scripts
      And Theo's session cookie is not sent when another site posts to the portal or loads it in the background
      And Theo's browser keeps the session cookie for 12 hours, no longer

    @security
    Scenario: Over https the session cookie only travels over secure connections
      Given Theo reaches the portal over https
      When Theo signs in with a sign-in link
      Then Theo's session cookie is sent over secure connections only

    @security
    Scenario: The session id is an unguessable key that the portal keeps only as a hash
      When Theo signs in with a sign-in link
      Then Theo's session id is at least 256 bits long
      And the portal keeps only a hash of Theo's session id

    @negative @security
    Scenario: Signing in replaces a session id planted by an attacker
      Given Mallory has planted a session id of her own in Theo's browser
      When Theo signs in with a sign-in link
      Then Theo's browser holds a new session id
      And the planted session id gives no access to the portal

    @negative
    Scenario: Signing out ends the session on the server
      Given Theo has signed in with a sign-in link
      When Theo signs out
      Then a copy of Theo's old session cookie is refused

    Scenario Outline: A session lasts 12 hours from sign-in
      Given Theo signed in <age> ago
      When Theo looks at his profile
      Then <outcome>

      Examples: Within the 12 hours
        | age                 | outcome               |
        | 11 hours            | Theo sees his profile |
        | 11 hours 50 minutes | Theo sees his profile |

      @negative
      Examples: Past the 12 hours
        | age                 | outcome                        |
        | 12 hours 10 minutes | Theo is asked to sign in again |
        | 13 hours            | Theo is asked to sign in again |

    @negative
    Scenario: Using the portal does not stretch a session past 12 hours
      Given Theo signed in 11 hours ago
      And Theo looked at his profile just now
      And 2 more hours have passed
      When Theo looks at his profile
      Then Theo is asked to sign in again

    @local @negative
    Scenario: The studio can make sessions shorter
      Given the portal is configured to end sessions 2 hours after sign-in
      And Theo signed in 3 hours ago
      When Theo looks at his profile
      Then Theo is asked to sign in again

  Rule: Only the portal's own confirmation page can sign someone in
    A page on another site could otherwise post an attacker's own link from a victim's browser and
    sign the victim in as the attacker, who then reads everything the victim uploads.

    @negative @security @allure.severity:critical
    Scenario Outline: A confirmation that another site's page posts signs nobody in: <how>
      Given Mallory has received a sign-in link
      When a page on another site makes Theo's browser confirm the sign-in link Mallory received, <how>
      Then the portal refuses the form as one posted from another site
      And Theo is not signed in
      And Mallory can still sign in with that link

      Examples:
        | how                                       |
        | saying so in both ways                    |
        | saying so by its origin only              |
        | saying so by its fetch metadata only      |
        | from a page without an origin             |
        | from a sibling site under the same domain |

    Scenario Outline: A confirmation posted from the portal's own page signs in: <how>
      Given Theo has received a sign-in link
      When Theo confirms his sign-in link on the portal's own page, <how>
      Then Theo is signed in

      Examples:
        | how                                                    |
        | as a current browser says it                           |
        | as a browser that sends only its origin                |
        | as a client that says nothing about where it comes from |

  Rule: After signing in, people land only on pages of the portal

    Scenario Outline: Having asked to return to <next>, Theo lands on <landing>
      Given Theo asked for a sign-in link that returns him to "<next>"
      When Theo follows the link
      Then Theo lands on "<landing>"

      Examples: Pages of the portal
        | next                      | landing                   |
        | /projects/42/review?cut=3 | /projects/42/review?cut=3 |
        | /                         | /                         |

      @negative @security
      Examples: Anything else lands on the home page
        | next                        | landing |
        | https://evil.example/phish  | /       |
        | //evil.example/phish        | /       |
        | /\evil.example/phish        | /       |
        | /%2F%2Fevil.example/phish   | /       |
        | javascript:alert(1)         | /       |
        | projects/42                 | /       |

  Rule: Link requests are limited to 5 an hour per address and 30 an hour per network, the same for everyone

    @negative
    Scenario: A sixth request for the same address within the hour is turned away
      Given Theo has asked for 5 sign-in links in the last hour
      When Theo asks for a sign-in link
      Then the portal asks Theo to wait before trying again
      And Theo receives no further sign-in email

    @negative @security
    Scenario: The address limit holds whichever network the requests come from
      Given 5 sign-in links for Theo's address have been asked for from 5 different networks in the last hour
      When Theo asks for a sign-in link
      Then the portal asks Theo to wait before trying again

    @negative @security
    Scenario: Addresses without an account are limited exactly like account holders' addresses
      Given Theo and Uma have each asked for 5 sign-in links in the last hour
      When Theo and Uma each ask for a sign-in link
      Then the portal asks both to wait, with identical answers

    @negative @security
    Scenario: The limit slows the sending of emails; it never locks out whoever holds the newest link
      Given 5 sign-in links for Theo's address have been asked for from 5 different networks in the last hour
      And Mallory has been turned away asking for one more sign-in link for Theo's address
      When Theo follows the newest sign-in link he received
      Then Theo is signed in

    Scenario Outline: With the first of 5 requests <age> ago, a sixth <outcome>
      Given Theo asked for 5 sign-in links, the first of them <age> ago
      When Theo asks for a sign-in link
      Then <answer>

      @negative
      Examples: The first request is still within the hour
        | age        | outcome                                   | answer                                                                                |
        | 59 minutes | waits only until the first is an hour old | the portal asks Theo to wait at most a minute, until the first request is an hour old |

      Examples: The first request has left the hour
        | age        | outcome                                   | answer                                                                                |
        | 61 minutes | goes through                              | the portal tells Theo that a link is on its way if the address has an account         |

    Scenario: The limit frees up once the hour has passed
      Given Theo asked for 5 sign-in links more than an hour ago
      When Theo asks for a sign-in link
      Then the portal tells Theo that a link is on its way if the address has an account
      And Theo receives a new sign-in email

    @negative @security
    Scenario: One network may ask for at most 30 links an hour, whatever the addresses
      Given 30 sign-in links for different addresses have been asked for from Mallory's network in the last hour
      When Mallory asks for a sign-in link for Theo's address from the same network
      Then the portal asks Mallory to wait before trying again
      And Theo receives no sign-in email

  Rule: Every sign-in, successful or refused, is audited with the address masked

    Scenario: A successful sign-in is audited
      When Theo signs in with a sign-in link
      Then the audit log records a successful sign-in by Theo as "t***@brightside.example"
      And no audit entry holds Theo's full email address

    @negative
    Scenario Outline: A refused sign-in is audited with its reason: <kind>
      Given Theo holds <kind>
      When Theo follows the link
      Then the audit log records a refused sign-in by <actor> because the link was "<reason>"

      Examples:
        | kind                                      | actor                            | reason     |
        | a link he has already used                | Theo as "t***@brightside.example" | used       |
        | a link that expired                       | Theo as "t***@brightside.example" | expired    |
        | a link superseded by a newer one          | Theo as "t***@brightside.example" | superseded |
        | a link of an account since suspended      | Theo as "t***@brightside.example" | suspended  |
        | a link with a key the portal never issued | an anonymous visitor             | unknown    |
        | a link with a mangled key                 | an anonymous visitor             | malformed  |
